"""Privacy by default (spec "Privacy"): a personal identity code in any input refuses it,
naming where; small cells stay out of pages, the report and the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers import MINI, edit, run
from polku.app import create_app
from polku.errors import PolkuError
from polku.privacy import find_hetu

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")

HETU = "131052-308T"  # the Population Register Centre's own example: valid check character


@pytest.fixture
def wb(mini: Path) -> Path:
    """A writable copy of the mini workbook (conftest's ``mini``)."""
    return mini


# -- henkilötunnus ------------------------------------------------------------------------------

CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"  # the mod-31 table of the identity code


@pytest.mark.parametrize("date, sign", [("311299", "+"), ("131052", "-"), ("010594", "Y"),
                                        ("150699", "U"), ("020304", "A"), ("290224", "F")])
def test_every_century_sign_is_recognised(date: str, sign: str) -> None:
    number = "234"
    code = f"{date}{sign}{number}{CHECK[int(date + number) % 31]}"
    assert find_hetu(f"asiakas {code}.") == 8
    wrong = CHECK[(int(date + number) + 1) % 31]
    assert find_hetu(f"asiakas {code[:-1]}{wrong}.") is None  # a look-alike
    assert find_hetu(f"x{code}") is None  # inside a longer run of letters: not one


def test_impossible_dates_are_not_codes() -> None:
    for date in ("310299", "000100", "011399"):
        code = f"{date}-234{CHECK[int(date + '234') % 31]}"
        assert find_hetu(code) is None, code


@pytest.mark.parametrize("sheet, old, column", [
    ("services.csv", "Eka, toka", "description"),      # a known column
    ("services.csv", "http://x", "url"),               # an unknown column, kept as extra
    ("actors.csv", "FPA", "name_sv"),
])
def test_workbook_cell_with_a_hetu_is_refused(wb: Path, tmp_path: Path, sheet: str, old: str,
                                              column: str) -> None:
    edit(wb / sheet, old, f"asiakas {HETU}")
    result = run("import", wb, "-o", tmp_path / "a.ttl")
    assert result.exit_code == 1
    assert f"column '{column}'" in result.output and "henkilötunnus" in result.output
    assert HETU not in result.output  # never printed back
    assert not (tmp_path / "a.ttl").exists()
    assert run("validate", wb).exit_code == 1


def test_a_sheet_is_screened_at_once_yet_each_code_is_located_to_its_cell(wb: Path) -> None:
    """The reader looks at a whole sheet's text at once (polku.io.workbook._sheet_rows); a
    code or a control character it finds is still refused in its own row and column, and
    every other row of the sheet is read as usual."""
    from polku.io.workbook import read_rows

    lines = (wb / "needs.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    width = len(header)
    lines += [",".join(["need-extra-1", f"asiakas {HETU}"] + [""] * (width - 2)),
              ",".join(["need-extra-2", "Tavallinen"] + [""] * (width - 2)),
              ",".join(["need-extra-3", "ohjaus\x07merkki"] + [""] * (width - 2))]
    (wb / "needs.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows, errors, _ = read_rows(wb)
    located = [(e.sheet, e.row, e.column) for e in errors]
    assert located == [("needs", len(lines) - 2, "name"), ("needs", len(lines), "name")]
    assert "henkilötunnus" in str(errors[0]) and HETU not in str(errors[0])
    assert "control character" in str(errors[1])
    by_id = {r.values["id"]: r for r in rows["needs"]}
    assert "name" not in by_id["need-extra-1"].values  # the refused cell is left out
    assert by_id["need-extra-2"].values["name"] == "Tavallinen"
    assert len(by_id) == len(lines) - 1


def test_a_code_written_in_lower_case_is_a_code_too(served: Path, tmp_path: Path) -> None:
    """131052-308t is the same person's code as 131052-308T (people type it either way): it
    was ordinary text to every reader, so a follow-up's note, a service's description or a
    segment's name took it through the API, the workbook and the event log."""
    from polku.server.auth import Tokens

    lower = HETU.lower()
    assert find_hetu(f"asiakas {lower}.") == 8
    assert find_hetu("asiakas 010594y234" + CHECK[int("010594234") % 31].lower()) == 8
    assert find_hetu("viite 131052-308u") is None  # a look-alike still is not one
    token = "editor-token-0123456789"
    editor = {"Authorization": f"Bearer {token}"}
    client = TestClient(create_app([served / "mini"], Tokens({"editor": token}),
                                   tmp_path / "changes"), raise_server_exceptions=False)
    for method, path, body in (
            ("post", "rows/followups", {"finding": "no-lead:kuntouttava", "status": "työn alla",
                                        "note": f"asiakas {lower} soitti"}),
            ("patch", "rows/services/kuntouttava", {"description": f"asiakas {lower}"}),
            ("post", "rows/segments", {"id": "s2", "name": f"asiakas {lower}", "size": "10"})):
        etag = client.get("/api/graphs/mini", headers=editor).headers["etag"]
        r = getattr(client, method)(f"/api/graphs/mini/{path}", json=body, params={"lang": "en"},
                                    headers={**editor, "If-Match": etag})
        assert r.status_code == 422, (path, r.text[:200])
        assert lower not in r.text and "identity code" in r.text, r.text
    assert not any(lower in p.read_text(encoding="utf-8")
                   for p in (served / "mini").glob("*.csv"))
    log = tmp_path / "log.csv"
    log.write_text(f"case,service,start\n{lower},alkuhaastattelu,2026-01-01\n", encoding="utf-8")
    result = run("eventlog", log, "--graph", served / "mini", "-o", tmp_path / "e.ttl")
    assert result.exit_code == 1 and "henkilötunnus" in result.output, result.output
    assert lower not in result.output


def test_a_code_under_no_column_name_is_not_printed_back(wb: Path) -> None:
    """A cell under no column name was refused by quoting it ('column 3 has a value
    ('asiakas 131052-308T') but no header'): with a code in it, the code was printed back,
    and a server showed it to anyone as its stale source's problem."""
    (wb / "outcomes.csv").write_text("id,name,\ntyo,Avoimet työmarkkinat,"
                                     f"asiakas {HETU}\n", encoding="utf-8")
    result = run("validate", wb)
    assert result.exit_code == 1
    assert "henkilötunnus" in result.output and HETU not in result.output, result.output
    client = TestClient(create_app([wb]))
    assert HETU not in client.get("/api/graphs").text


def test_a_look_alike_is_ordinary_text(wb: Path, tmp_path: Path) -> None:
    edit(wb / "services.csv", "Eka, toka", "viite 131052-308U")  # check character fails
    assert run("import", wb, "-o", tmp_path / "a.ttl").exit_code == 0


def test_plan_table_with_a_hetu_is_refused(tmp_path: Path) -> None:
    from polku.io.plan import SAMPLE

    plan = tmp_path / "plan.txt"
    plan.write_text(SAMPLE.replace("Päävastuu: TTL", f"Päävastuu: TTL ({HETU})"), encoding="utf-8")
    result = run("plan", "import", plan, "-o", tmp_path / "p.ttl", "--lenient")
    assert result.exit_code == 1
    assert "line 2, column 10" in result.output and "henkilötunnus" in result.output
    assert HETU not in result.output and not (tmp_path / "p.ttl").exists()


@pytest.mark.parametrize("suffix", [".ttl", ".jsonld"])
def test_rdf_literal_with_a_hetu_is_refused(wb: Path, tmp_path: Path, suffix: str) -> None:
    run("import", wb, "-o", tmp_path / f"a{suffix}")
    path = tmp_path / f"a{suffix}"
    edit(path, "Eka, toka", f"asiakas {HETU}")
    for command in (("findings", path), ("validate", path),
                    ("export", path, "--to", "workbook", "-o", tmp_path / "out")):
        result = run(*command)
        assert result.exit_code == 1, command
        assert "alkuhaastattelu" in result.output and "dc/terms/description" in result.output
        assert "henkilötunnus" in result.output and HETU not in result.output
    assert not (tmp_path / "out").exists()


def test_rdf_with_a_code_in_an_address_is_refused(wb: Path, tmp_path: Path) -> None:
    """A resource of polku's own RDF without dct:identifier is named by its address: one
    ending in an identity code was a node of that id, and validate quoted the address."""
    run("import", wb, "-o", tmp_path / "a.ttl")
    path = tmp_path / "a.ttl"
    path.write_text(path.read_text(encoding="utf-8") + f"\n<https://example.org/{HETU}> "
                    "a <https://w3id.org/polku/ontology#Need> .\n", encoding="utf-8")
    for command in (("findings", path), ("validate", path)):
        result = run(*command)
        assert result.exit_code == 1, (command, result.output)
        assert "henkilötunnus" in result.output and HETU not in result.output, result.output


def test_a_region_pulled_from_neo4j_with_a_code_is_refused(monkeypatch) -> None:
    """A shared database holds what any tool wrote, and polku read a region from it (the
    server serves one, ``polku neo4j pull`` writes it to a file) without looking for an
    identity code: every other loader refuses one. Here the database is a stand-in that
    answers a region whose follow-up's note, or a node's id, holds a code."""
    from contextlib import contextmanager

    from polku.io import neo4jstore
    from polku.io.load import load_graph

    def region(where: str) -> Any:
        g = load_graph(str(MINI))
        if where == "note":
            g.graph["followups"] = {"no-lead:kuntouttava": {"status": "työn alla",
                                                            "note": f"asiakas {HETU.lower()}"}}
        elif where == "id":
            g.add_node(HETU, type="need", name="Tarve")
        else:
            g.nodes["kuntouttava"].setdefault("extra", {})["huom"] = f"asiakas {HETU}"
        return g

    for where in ("note", "id", "extra"):
        class Session:
            def __enter__(self): return self
            def __exit__(self, *exc): return False
            def execute_read(self, fn, *args): return region(where), "mini"

        class Driver:
            def session(self, database=None): return Session()

        monkeypatch.setattr(neo4jstore, "open_driver", contextmanager(lambda t: iter([Driver()])))
        with pytest.raises(PolkuError) as caught:
            neo4jstore.pull_graph("bolt://localhost:7687", password="pw", region="mini")
        text = str(caught.value)
        assert "henkilötunnus" in text and HETU not in text and HETU.lower() not in text, text


# -- small cells where people look ---------------------------------------------------------------

@pytest.fixture
def small(wb: Path) -> Path:
    """Mini with a segment of 4 people; its referral r2 already carries 3 clients a month."""
    edit(wb / "segments.csv", ",1200,", ",4,")
    return wb


def test_page_leaves_small_cells_out(small: Path, tmp_path: Path) -> None:
    assert run("render", small, "-o", tmp_path / "p.html", "--lang", "en").exit_code == 0
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "Size: 4 people" not in page and "Volume: 3 / month" not in page
    assert "Volume: 12 / month" in page  # not a small cell
    assert run("render", small, "-o", tmp_path / "q.html", "--no-suppress", "--lang", "en").exit_code == 0
    page = (tmp_path / "q.html").read_text(encoding="utf-8")
    assert "Size: 4 people" in page and "Volume: 3 / month" in page


@pytest.mark.parametrize("name", ["r.md", "r.html"])
def test_report_leaves_small_cells_out(small: Path, tmp_path: Path, name: str) -> None:
    # kuntouttava's only inflow becomes 2 a month: its bottleneck rows must not say so
    edit(small / "referrals.csv", "nuoret,12,14", "nuoret,2,14")
    assert run("report", small, "-o", tmp_path / name, "--lang", "en").exit_code == 0
    text = (tmp_path / name).read_text(encoding="utf-8")
    assert "| 2 | 20 |" not in text and "0.1 |" not in text  # inflow, utilization 2/20
    assert "Volume: 3 / month" not in text and "Volume: 2 / month" not in text
    # the inflow a suppressed referral makes is left out, with its utilisation
    # (docs/workbook.md, Privacy): before the audience rule it read <5; it reads hidden,
    # not "–" (which says there is no figure)
    assert "| hidden | 20 | hidden |" in text or \
        '<td class="num">hidden</td><td class="num">20</td>' in text
    assert run("report", small, "-o", tmp_path / f"n{name}", "--no-suppress", "--lang", "en").exit_code == 0
    assert "&lt;5" not in (tmp_path / f"n{name}").read_text(encoding="utf-8")


def test_api_leaves_small_cells_out(small: Path, tmp_path: Path) -> None:
    client = TestClient(create_app([small]))
    info = client.get("/api/graphs/mini").json()
    assert [s["size"] for s in info["segments"]] == ["<5"]
    flows = client.get("/api/graphs/mini/bottlenecks").json()
    inflows = {r["service"]: r["inflow"] for r in flows["by_flow"]}
    assert inflows.get("tyo", "<5") == "<5" and 3 not in inflows.values()
    turtle = client.get("/api/graphs/mini/export?format=turtle").text
    assert "volumePerMonth 3 " not in turtle and "polku:size 4" not in turtle
    assert "polku:suppressed" in turtle
    page = client.get("/graphs/mini/view").text
    assert "Volume: 3 / month" not in page
    assert "Volume: 3 / month" not in client.get("/graphs/mini/report").text
    assert json.dumps(client.get("/api/graphs/mini/findings").json()).count('"inflow": 3') == 0


def test_a_total_with_a_small_cell_in_it_reads_at_least_its_published_part(tmp_path) -> None:
    """The report hid adult social work's inflow and utilisation ("piilotettu") because
    one referral into it is under 5, while its ecosystem section showed the organisations'
    totals as lower bounds. One rule now: such a total reads *at least* the sum of the
    published volumes (each public in the published referral rows, so the bound gives
    nothing back by subtraction), its utilisation *at least* that over the capacity
    (rounded down), and *hidden* only when nothing of it is published; the owner's
    --no-suppress answer has the true figures and no bounds."""
    from polku.io.load import load_graph
    from polku.privacy import hidden_services, suppress, suppressed_referrals

    example = Path(__file__).parents[1] / "graphs" / "keski-uusimaa.ttl"
    true = load_graph(example)
    published = suppress(true)
    assert "aikuissosiaalityo" in hidden_services(published)

    def volumes_in(g, service: str) -> list[float]:
        return [g.nodes[r].get("volume_per_month") for r, d in g.nodes(data=True)
                if d["type"] == "referral" and any(
                    v == service for _, v, k in g.out_edges(r, data="kind") if k == "to")]

    shown = sum(v for v in volumes_in(published, "aikuissosiaalityo") if v)
    whole = sum(v for v in volumes_in(true, "aikuissosiaalityo") if v)
    assert 0 < shown < whole  # the published part, below the true inflow
    assert any(r in suppressed_referrals(published) for r, d in published.nodes(data=True)
               if d["type"] == "referral")
    r = run("bottlenecks", example, "--suppress", "--top", "100", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = {x["service"]: x for x in json.loads(r.stdout)["by_betweenness"]}
    row = rows["aikuissosiaalityo"]
    assert row["hidden"] is True and row["inflow"] is None and row["utilization"] is None
    assert row["inflow_at_least"] == shown
    assert row["utilization_at_least"] == int(shown / row["capacity"] * 100) / 100
    # nothing of the klubitalo's inflow is published: hidden, no bound
    assert "inflow_at_least" not in rows["klubitalo-toiminta"]
    text = run("bottlenecks", example, "--suppress", "--top", "100", "--lang", "en").stdout
    line = next(x for x in text.splitlines() if "(aikuissosiaalityo)" in x)
    assert f"at least {shown:g}" in line and "at least 0.09" in line
    assert "hidden" in next(x for x in text.splitlines() if "(klubitalo-toiminta)" in x)
    # the owner's own answer: the true figures, no bounds
    own = json.loads(run("bottlenecks", example, "--top", "100", "--format", "json").stdout)
    row = {x["service"]: x for x in own["by_betweenness"]}["aikuissosiaalityo"]
    assert row["inflow"] == whole and "inflow_at_least" not in row
    # the report (for others by default) says the same, in the markdown and the HTML
    for name in ("r.md", "r.html"):
        assert run("report", example, "-o", tmp_path / name, "--quiet", "--lang",
                   "fi").exit_code == 0
        report = (tmp_path / name).read_text(encoding="utf-8").replace("\xa0", " ")
        if name == "r.md":
            assert f"| Aikuissosiaalityö (`aikuissosiaalityo`) | 0,104 | vähintään {shown:g} | " \
                f"250 | vähintään 0,09 |" in report
        else:
            assert f'<td class="num">vähintään {shown:g}</td><td class="num">250</td>' \
                f'<td class="num">vähintään 0,09</td>' in report
        assert "piilotettu</td><td class=\"num\">250" not in report
        assert "| piilotettu | 250 |" not in report
        assert "Vähintään: jossakin ohjauksessa palveluun on alle 5" in report
    # the public's page of the same ranking
    client = TestClient(create_app([example.parent / "keski-uusimaa"]),
                        raise_server_exceptions=False)
    page = client.get("/graphs/keski-uusimaa/bottlenecks", params={"lang": "sv"}).text
    assert f'<span class="hidden-figure">minst {shown:g}</span>' in page


def test_an_export_for_others_says_how_many_small_cells_it_left_out(tmp_path) -> None:
    """A file meant for others leaves its small cells out and says how many, so that its
    reader does not take its totals for the whole; the owner's copy says nothing."""
    from ecobuild import Builder
    from helpers import run

    b = Builder().chain()
    b.segment("seg", size=3)
    b.g.nodes["r-ab"]["volume_per_month"] = 4
    folder = b.workbook(tmp_path / "wb")
    shared = run("export", folder, "--to", "jsonld", "-o", tmp_path / "a.jsonld", "--lang", "fi")
    assert shared.exit_code == 0, shared.output
    assert ("huomio: 2 pientä lukua (1–4) on jätetty pois tästä muille tarkoitetusta "
            "tiedostosta") in shared.stdout
    one = run("export", folder, "--to", "jsonld", "-o", tmp_path / "b.jsonld", "--lang", "en",
              "--min-cell", "4")
    assert "1 small cell (a count from 1 to 3) is left out" in one.stdout
    for args, name in ((("--to", "jsonld", "--no-suppress"), "c.jsonld"),
                       (("--to", "turtle"), "c.ttl")):
        own = run("export", folder, *args, "-o", tmp_path / name, "--lang", "en")
        assert own.exit_code == 0 and "wrote" in own.stdout, own.output
        assert "small cell" not in own.stdout, own.stdout


def test_a_shared_copy_turned_into_a_workbook_still_says_what_it_left_out(tmp_path) -> None:
    """A national developer turns regions' shared files into workbooks: a small cell the
    shared copy left out is written ``<5`` and read back as left out (not as an empty cell),
    so the totals still read "at least", a diff says "hidden", not that a figure was
    deleted, and the note says the cells were missing from what was read, not that this
    owner's copy leaves them out (``--no-suppress`` cannot bring them back)."""
    from helpers import EXAMPLE
    from polku.io.load import load_graph

    shared = tmp_path / "ku.jsonld"
    assert run("export", EXAMPLE, "--to", "jsonld", "-o", shared).exit_code == 0
    for to, out in (("workbook", tmp_path / "wb"), ("xlsx", tmp_path / "ku.xlsx")):
        r = run("export", shared, "--to", to, "-o", out)
        assert r.exit_code == 0, r.output
        assert "22 small cells were left out already of what was read" in r.stdout
        assert "left out of this file" not in r.stdout
        g = load_graph(out)
        left = {n for n, d in g.nodes(data=True) if "volume_per_month" in (d.get("suppressed") or ())}
        assert len(left) == 22 and not any("volume_per_month" in g.nodes[n] for n in left)
        assert left == {n for n, d in load_graph(shared).nodes(data=True)
                        if d.get("suppressed")}
        assert "at least 2,585 referrals a month" in run("show", out, "--lang", "en").stdout
    rows = (tmp_path / "wb" / "referrals.csv").read_text(encoding="utf-8")
    assert rows.count(",<5,") == 22
    # a diff against the owner's own workbook: the figures went out of sight, not away
    diff = run("diff", EXAMPLE, tmp_path / "wb", "--no-suppress", "--lang", "en").stdout
    assert "4 → <5 (hidden: the second graph leaves this small figure out)" in diff
    assert "→ –" not in diff
    # the marker stands for a count of people only: a capacity of '<5' is no number
    edit(tmp_path / "wb" / "services.csv", "Initial interview,tyollisyysalue,650,",
         "Initial interview,tyollisyysalue,<5,")
    bad = run("validate", tmp_path / "wb")
    assert bad.exit_code == 1 and "capacity_per_month" in bad.output


def test_the_threshold_a_shared_copy_was_made_with_travels_with_it(tmp_path) -> None:
    """A copy made with ``--min-cell 10`` hid every count from 1 to 9: read back (as a
    workbook whose cells read ``<10``, as Turtle, as JSON-LD again) or merged with a region
    shared at the default, it never says a lower threshold than the one its cells were hidden
    by, and the merged graph's further public copies hide below the largest."""
    from helpers import EXAMPLE, SECOND_REGION
    from polku.io.load import load_graph
    from polku.graph import regions

    ku10 = tmp_path / "ku10.jsonld"
    made = run("export", EXAMPLE, "--to", "jsonld", "--min-cell", "10", "-o", ku10,
               "--lang", "en")
    assert "(counts from 1 to 9)" in made.stdout, made.output
    assert load_graph(ku10).graph["min_cell"] == 10
    wb = tmp_path / "ku10-wb"
    assert run("export", ku10, "--to", "workbook", "-o", wb).exit_code == 0
    assert (wb / "referrals.csv").read_text(encoding="utf-8").count(",<10,") == 59
    assert load_graph(wb).graph["min_cell"] == 10  # read back from its <10 cells
    back = tmp_path / "back.jsonld"
    again = run("export", wb, "--to", "jsonld", "-o", back, "--lang", "en")
    assert again.exit_code == 0, again.output
    assert "left out of this file" not in again.stdout  # nothing more to hide
    assert load_graph(back).graph["min_cell"] == 10
    assert run("import", wb, "-o", tmp_path / "ku10.ttl").exit_code == 0
    assert load_graph(tmp_path / "ku10.ttl").graph["min_cell"] == 10
    assert run("export", ku10, "--to", "turtle", "-o", tmp_path / "t.ttl").exit_code == 0
    assert load_graph(tmp_path / "t.ttl").graph["min_cell"] == 10

    ks = tmp_path / "ks.jsonld"
    assert run("export", SECOND_REGION, "--to", "jsonld", "-o", ks).exit_code == 0
    # the owner's merged file: each region says its own threshold, the graph the largest
    assert run("merge", ku10, ks, "-o", tmp_path / "nat.ttl").exit_code == 0
    nat = load_graph(tmp_path / "nat.ttl")
    assert nat.graph["min_cell"] == 10
    assert {r["id"]: r.get("min_cell") for r in regions(nat)} == {
        "keski-suomi": 5, "keski-uusimaa": 10}
    ks_small = [n for n, d in nat.nodes(data=True)
                if d.get("type") == "referral" and 5 <= (d.get("volume_per_month") or 0) < 10]
    assert ks_small  # Keski-Suomi's figures of 5 to 9 are in the owner's merged file
    # a merged file for others hides below the largest threshold, and says so everywhere
    merged = run("merge", ku10, ks, "-o", tmp_path / "nat.jsonld", "--lang", "en")
    assert merged.exit_code == 0, merged.output
    assert "(counts from 1 to 9)" in merged.stdout, merged.stdout
    shared = load_graph(tmp_path / "nat.jsonld")
    assert shared.graph["min_cell"] == 10
    assert all(r["min_cell"] == 10 for r in regions(shared))
    assert not any(0 < (d.get(a) or 0) < 10 for _, d in shared.nodes(data=True)
                   for a in ("size", "volume_per_month"))
    # and a later public copy of the owner's merged file too, whatever --min-cell says
    assert run("export", tmp_path / "nat.ttl", "--to", "jsonld", "-o", tmp_path / "n2.jsonld",
               "--min-cell", "5").exit_code == 0
    assert load_graph(tmp_path / "n2.jsonld").graph["min_cell"] == 10
