"""Bottleneck ranking (polku.analyses.bottlenecks) and what-if removal (polku.analyses.whatif)."""

from __future__ import annotations

import networkx as nx
import pytest

from ecobuild import Builder
from polku.analyses.bottlenecks import betweenness, bottlenecks, flow, ranking, referral_graph
from polku.errors import PolkuError
from polku.present.i18n import translator
from polku.present.printers import bottlenecks_table, whatif_text
from polku.present.results import whatif_worded
from polku.analyses.reach import ecosystem
from polku.analyses.whatif import remove, whatif


def hub() -> Builder:
    """Three entries all referred through the hub h to the outcome; h is over capacity."""
    b = Builder()
    b.actor("x").outcome("work")
    b.service("h", providers=["x"], capacity=10)
    for e in ("e1", "e2", "e3"):
        b.service(e, providers=["x"], entry=True)
        b.referral(f"r-{e}", e, "h", owner="x", info="yes", volume=5, wait=3)
    b.referral("r-hw", "h", "work", owner="x", info="yes", volume=12)
    b.segment("seg", entries=["e1", "e2"])
    return b


def test_betweenness_matches_networkx_on_random_graphs():
    for seed in range(5):
        g = nx.gnm_random_graph(40, 120, seed=seed, directed=True)
        g = nx.relabel_nodes(g, {i: f"n{i}" for i in g})
        ours = betweenness(g)
        theirs = nx.betweenness_centrality(g, normalized=True)
        assert ours.keys() == theirs.keys()
        assert all(abs(ours[n] - theirs[n]) < 1e-9 for n in ours)


def test_referral_graph_collapses_parallel_referrals():
    b = hub()
    b.referral("r-e1-again", "e1", "h", owner="x")
    rg = referral_graph(b.g)
    assert rg.number_of_edges() == 4 and set(rg) == {"e1", "e2", "e3", "h", "work"}


def test_ranking_puts_the_hub_first_with_its_flow():
    rows = ranking(hub().g)
    top = rows[0]
    assert top["service"] == "h" and top["rank"] == 1 and top["betweenness"] > 0
    assert (top["inflow"], top["capacity"], top["utilization"], top["outflow"]) == \
        (15, 10, 1.5, 12)
    assert [r["betweenness"] for r in rows[1:]] == [0, 0, 0]


def test_flow_without_capacity_has_no_utilization():
    assert flow(ecosystem(hub().g))["e1"] == {"inflow": None, "outflow": 5, "capacity": None,
                                               "utilization": None}


def test_bottlenecks_has_over_capacity_and_spof_beside_the_ranking():
    result = bottlenecks(hub().g, top=2)
    assert len(result["by_betweenness"]) == 2 and len(result["by_flow"]) == 2
    assert result["by_flow"][0]["service"] == "h"
    assert [(f["kind"], f["subject"]) for f in result["findings"]] == [
        ("over-capacity", "h"), ("single-point-of-failure", "h")]
    text = bottlenecks_table(result)
    assert "H (h)" in text and "kapasiteetti ylittyy" in text and "over-capacity" not in text


def test_rustworkx_handles_national_size_quickly():
    """Not a timing test: it checks the compiled path is the one used (networkx would take
    minutes on this graph) by running it on a 3,000-node referral graph."""
    g = nx.gnm_random_graph(3000, 5000, seed=1, directed=True)
    g = nx.relabel_nodes(g, {i: f"n{i}" for i in g})
    scores = betweenness(g)
    assert len(scores) == 3000 and max(scores.values()) > 0


# what-if ------------------------------------------------------------------------------

def test_removing_an_actor_leaves_its_services_without_provider():
    b = hub()
    b.service("e3", providers=["x", "y"])
    b.role("y", "e3")
    result = whatif(b.g, "x")
    created = {(f["kind"], f["subject"]) for f in result["created"]}
    assert {("service-without-provider", s) for s in ("e1", "e2", "h")} <= created
    assert ("referral-without-owner", "r-hw") in created
    assert ("service-without-provider", "e3") not in created   # y still provides it
    assert "x" not in remove(b.g, "x")[0] and "h" in remove(b.g, "x")[0]


def test_removing_an_actor_takes_its_units():
    b = hub()
    b.actor("county").actor("team").actor("other")
    from polku.graph import add_edge
    add_edge(b.g, "x", "team", "part_of")
    add_edge(b.g, "team", "county", "part_of")
    h, gone = remove(b.g, "county")
    assert gone == ["county", "team", "x"] and "other" in h
    assert remove(b.g, "x")[1] == ["x"]


def test_removing_a_referral_separates_what_went_with_it():
    """h's over-capacity vanishes because the clients the removed referral brought no
    longer come: gone with what was removed, not resolved (polku.analyses.vanished)."""
    b = hub()
    b.referral("r-e3", "e3", "h", owner="x", info="no", volume=5, wait=99)
    result = whatif(b.g, "r-e3")
    assert {(f["kind"], f["reason"]) for f in result["removed_with"]} == {
        ("long-wait", "removed"), ("no-information-flow", "removed"),
        ("over-capacity", "removed")}
    assert result["resolved"] == []
    # e3 now refers nowhere: a dead end is created.
    assert ("dead-end", "e3") in {(f["kind"], f["subject"]) for f in result["created"]}


def test_removing_a_service_takes_its_referrals_and_breaks_designed_paths():
    b = hub()
    b.path("p", "seg", ["e1", "h", "work"])
    h, gone = remove(b.g, "h")
    assert gone == ["h", "r-e1", "r-e2", "r-e3", "r-hw"]
    result = whatif_worded(whatif(b.g, "h"), b.g, translator("en"))
    created = {(f["kind"], f["subject"], tuple(f["related"])) for f in result["created"]}
    assert ("path-broken", "p", ("e1", "work")) in created
    assert ("segment-without-outcome", "seg", ("e1", "e2")) in created
    assert {f["subject"] for f in result["removed_with"]} <= set(gone)
    assert "What if the service H (h) were removed" in whatif_text(result, translator("en"))


def test_whatif_unknown_or_unremovable_id():
    with pytest.raises(PolkuError, match="unknown id 'nope'"):
        whatif(hub().g, "nope")
    with pytest.raises(PolkuError, match="'seg' is a segment"):
        whatif(hub().g, "seg")


def test_whatif_does_not_touch_the_graph():
    b = hub()
    before = (b.g.number_of_nodes(), b.g.number_of_edges())
    whatif(b.g, "x")
    assert (b.g.number_of_nodes(), b.g.number_of_edges()) == before


def test_clients_a_month_are_whole_and_betweenness_reads_alike_everywhere(tmp_path) -> None:
    """Clients a month as whole clients (the glossary: 62,5 is no one), and betweenness
    to three decimals on the page and in the report alike."""
    import re
    import re
    import shutil

    from fastapi.testclient import TestClient

    from pathlib import Path

    from helpers import run
    from polku.app import create_app

    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "graphs" / "keski-uusimaa", tmp_path / "ku")
    page = TestClient(create_app([tmp_path])).get("/graphs/ku/bottlenecks?lang=fi").text
    row = re.search(r"Työvoimakoulutus</a> <code>tyovoimakoulutus</code></td>\s*"
                    r"<td>([^<]*)</td><td>([^<]*)</td>", page)
    assert row and row.group(2) == "63", row and row.groups()  # inflow 62.5 a month
    assert re.fullmatch(r"0,\d{3}", row.group(1))
    report = tmp_path / "r.md"
    assert run("report", str(tmp_path / "ku"), "-o", str(report), "-q").exit_code == 0
    lines = report.read_text(encoding="utf-8").splitlines()
    by_flow = next(x for x in lines if x.startswith("| Työvoimakoulutus (`tyovoimakoulutus`)")
                   and x.count("|") == 5)
    assert by_flow.split("|")[3].strip() == "63", by_flow
    betweenness = [x.split("|")[3].strip() for x in lines if x.count("|") == 7
                   and re.match(r"\| \d+ \|", x)]
    assert betweenness and all(re.fullmatch(r"\d,\d{3}", b) for b in betweenness), betweenness


def test_the_cli_answers_bottlenecks_as_the_public_reads_them(tmp_path) -> None:
    """``polku bottlenecks --suppress`` is the public's ranking (the API's and the pages'):
    a service a referral of 4 leads into shows no inflow or utilisation, says *hidden* in the
    table with the note that explains it, and ranks by flow after every shown service;
    without the flag the owner reads the true figures."""
    import json

    from helpers import run

    b = hub()
    b.service("q", providers=["x"], capacity=6)
    b.referral("r-small", "e3", "q", owner="x", info="yes", volume=4)
    path = b.workbook(tmp_path / "wb")
    public = json.loads(run("bottlenecks", str(path), "--suppress", "--format", "json").stdout)
    q = next(r for r in public["by_betweenness"] if r["service"] == "q")
    assert q["hidden"] is True and q["inflow"] is None and q["utilization"] is None
    flow_order = [r["service"] for r in public["by_flow"]]
    shown = [r["service"] for r in public["by_flow"] if not r["hidden"]]
    assert flow_order[:len(shown)] == shown and flow_order[-1] == "q"
    assert "4" not in json.dumps(q)
    text = run("bottlenecks", str(path), "--suppress", "--lang", "fi").stdout
    q_line = next(x for x in text.splitlines() if x.rstrip().endswith("(q)"))
    assert q_line.count("piilotettu") == 2 and " 4 " not in q_line, q_line
    assert "pienet luvut jätetään pois" in text
    owner = json.loads(run("bottlenecks", str(path), "--format", "json").stdout)
    q = next(r for r in owner["by_betweenness"] if r["service"] == "q")
    assert q["hidden"] is False and q["inflow"] == 4


def test_the_ranking_names_services_in_the_readers_language() -> None:
    """The CLI and the API name a ranked service as the reader's language has it (the
    example region gives name_sv and name_en), as the page always did."""
    import json
    from pathlib import Path

    from fastapi.testclient import TestClient

    from helpers import run
    from polku.app import create_app

    root = Path(__file__).resolve().parents[1] / "graphs"
    sv = json.loads(run("bottlenecks", root / "keski-uusimaa", "--lang", "sv", "--format",
                        "json").stdout)
    labels = {r["service"]: r["label"] for r in sv["by_betweenness"] + sv["by_flow"]}
    assert labels["monialainen-tyollistymissuunnitelma"] == \
        "Sektorsövergripande sysselsättningsplan"
    api = TestClient(create_app([root])).get("/api/graphs/keski-uusimaa/bottlenecks",
                                            params={"lang": "en"}).json()
    labels = {r["service"]: r["label"] for r in api["by_betweenness"] + api["by_flow"]}
    assert labels["aikuissosiaalityo"] == "Adult social work", labels


def test_the_terminal_tables_line_up_in_every_language() -> None:
    """Each column of ``polku bottlenecks`` is as wide as its header or widest cell in the
    reader's language (Finnish headers are longer than the English ones the widths were
    fixed for), and a finding list's kinds line up however long their names."""
    from helpers import ROOT, run

    example = ROOT / "graphs" / "keski-uusimaa"
    for lang, service in (("fi", "palvelu"), ("sv", "tjänst"), ("en", "service")):
        out = run("bottlenecks", example, "--top", "5", "--lang", lang).stdout.splitlines()
        for start in (i for i, line in enumerate(out) if line.endswith(f"  {service}")):
            table = out[start:start + 6]
            column = table[0].index(f"  {service}") + 2
            assert all(line[column - 2:column] == "  " and line[column] != " "
                       for line in table), (lang, table)
    from polku.present.printers import _finding_lines

    found = [{"severity": "warning", "kind": "over-capacity", "message": "M1"},
             {"severity": "info", "kind": "single-point-of-failure", "message": "M2"}]
    for lang in ("fi", "sv", "en"):
        lines = _finding_lines(found, translator(lang))
        assert lines[0].index("M1") == lines[1].index("M2"), lines
    none = run("whatif", example, "--remove", "ref-diakonia-velkaneuvonta", "--lang", "en")
    assert "Created (0):\n  –" in none.stdout or "Resolved (0):\n  –" in none.stdout, none.stdout


def test_each_table_of_the_bottleneck_page_numbers_its_own_order(tmp_path) -> None:
    """The page's second table (by utilisation and inflow) showed in its ``#`` column the
    ranks by betweenness of the first (5, 1, 12, …): each table counts 1, 2, 3 in its own
    order."""
    import re
    import re
    import shutil
    from pathlib import Path

    from fastapi.testclient import TestClient

    from polku.app import create_app

    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "graphs" / "keski-uusimaa", tmp_path / "ku")
    page = TestClient(create_app([tmp_path])).get("/graphs/ku/bottlenecks?lang=fi").text
    tables = re.findall(r"<table><caption>(.*?)</caption>.*?<tbody>(.*?)</tbody>", page, re.S)
    assert len(tables) == 2, [c for c, _ in tables]
    flow_services = []
    for _, body in tables:
        ranks = [int(n) for n in re.findall(r"<tr><td>(\d+)</td>", body)]
        assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) > 3, ranks
        flow_services = re.findall(r"<code>([^<]+)</code>", body)
    from polku.analyses.bottlenecks import flow_ranking, ranking
    from polku.io.load import load_graph

    from polku.privacy import suppress

    g = suppress(load_graph(tmp_path / "ku"))  # the page is the public's
    assert flow_services == [r["service"] for r in flow_ranking(ranking(g))][:len(flow_services)]


def test_an_entry_service_without_a_referral_in_has_no_figure_on_the_page_and_report(
        tmp_path) -> None:
    """The mini workbook's Alkuhaastattelu is an entry service no referral enters: its
    inflow and utilisation are "–" (the legend: no referral says how many clients it
    brings), as `polku whatif` shows them, not 0 and 0,00; its capacity as entered."""
    import re

    from fastapi.testclient import TestClient

    from helpers import copy_mini, run
    from polku.app import create_app

    copy_mini(tmp_path / "mini")
    page = TestClient(create_app([tmp_path])).get("/graphs/mini/bottlenecks?lang=sv").text
    cells = re.findall(r"Alkuhaastattelu</a> <code>alkuhaastattelu</code></td>\s*"
                       r"<td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>\s*<td>([^<]*)</td>",
                       page)
    assert cells and all(c[1:] == ("–", "40,5", "–") for c in cells), cells
    assert "–: inget tal" in page
    report = tmp_path / "r.md"
    assert run("report", tmp_path / "mini", "-o", report, "-q", "--lang", "sv").exit_code == 0
    lines = [x for x in report.read_text(encoding="utf-8").splitlines()
             if x.startswith("| ") and "(`alkuhaastattelu`)" in x]
    assert lines and all([c.strip() for c in x.split("|")][-4:-1] in
                         (["–", "40,5", "–"], ["–", "–", "40,5"]) for x in lines), lines


def test_a_capacity_of_0_with_clients_reads_the_same_on_every_door(tmp_path) -> None:
    """The reviewer's case: the example with Start-up grant's capacity set to 0, while 16
    clients a month are referred to it. ``polku bottlenecks`` showed its utilisation as
    "–" and the legend said "–: no figure (the service has no capacity, …)", read as "no
    capacity given"; ``polku whatif`` said "modelled utilisation ∞", and the what-if page
    "–". Every door writes ∞ for it, and the legend says what ∞ is and is true of "–"."""
    import re
    import shutil
    from html import unescape
    from pathlib import Path

    from fastapi.testclient import TestClient

    from helpers import edit, run
    from polku.app import create_app

    root = Path(__file__).resolve().parents[1]
    folder = tmp_path / "ku"
    shutil.copytree(root / "graphs" / "keski-uusimaa", folder)
    edit(folder / "services.csv", "Start-up grant,tyollisyysalue,20,",
         "Start-up grant,tyollisyysalue,0,")
    # the terminal: both tables, and the legend
    text = run("bottlenecks", folder, "--lang", "en").stdout
    rows = [x for x in text.splitlines() if "(starttiraha)" in x and "takes in" not in x]
    assert len(rows) == 2 and all(re.search(r"\s∞\s", x) and " – " not in x for x in rows), rows
    assert "the service has no capacity" not in text
    assert "–: no figure (no capacity is given for the service" in text
    assert "∞: clients are referred to the service, but its capacity is 0" in text
    # the page
    client = TestClient(create_app([tmp_path]))
    page = client.get("/graphs/ku/bottlenecks?lang=en").text
    cells = re.findall(r"<code>starttiraha</code></td>\s*<td>[^<]*</td><td>[^<]*</td>"
                       r"<td>([^<]*)</td>\s*<td[^>]*>([^<]*)</td>", page)
    assert len(cells) == 2 and all(c == ("0", "∞") for c in cells), cells
    note = unescape(page.split('id="dash-note">', 1)[1].split("</p>", 1)[0])
    assert "∞: clients are referred to the service, but its capacity is 0" in note
    # the report, in markdown and in HTML
    for suffix in ("md", "html"):
        out = tmp_path / f"r.{suffix}"
        assert run("report", folder, "-o", out, "-q", "--lang", "en").exit_code == 0
        report = out.read_text(encoding="utf-8")
        if suffix == "md":
            # its rows of the rankings (the report's first lists fewer services)
            lines = [x for x in report.splitlines()
                     if x.startswith("| ") and "(`starttiraha`)" in x and "| 16 |" in x]
            assert lines and all("| ∞ |" in x for x in lines), lines
        else:
            assert re.search(r"<code>starttiraha</code>(?:(?!</tr>).)*"
                             r'<td class="num">∞</td>', report, re.S)
        assert "∞: clients are referred to the service, but its capacity is 0" in report
    # the what-if: the text and the page say ∞ before a capacity of 5
    text = run("whatif", folder, "--capacity", "starttiraha=5", "--lang", "en").stdout
    assert "before: modelled utilisation ∞: the queue grows without bound" in text
    page = client.get("/graphs/ku/whatif", params={
        "segment": "seg-tyovalmiit", "service": "starttiraha", "capacity": "5",
        "lang": "en"}).text
    row = page.split('data-service="starttiraha"', 1)[1].split("</tr>", 1)[0]
    cells = [unescape(re.sub(r"<[^>]+>", "", c)).strip()
             for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
    # modelled utilisation before and after, wait before and after
    assert cells[6:10] == ["∞", "320%", "grows without bound", "grows without bound"], cells
    assert "∞: clients are referred to the service, but its capacity is 0" in unescape(page)
