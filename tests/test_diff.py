"""`polku diff A B`: two versions of a region, two regions, a graph with itself; text, JSON
and the HTML page (opened in headless Chromium)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import ARTIFACTS, EXAMPLE, SECOND, SECOND_REGION, copy_mini, edit, only, run


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    """The mini region before and after a meeting: a service renamed and its capacity
    raised, a referral added (with no owner), a responsibility dropped."""
    before, after = tmp_path / "before", tmp_path / "after"
    copy_mini(before)
    shutil.copytree(before, after)
    edit(after / "services.csv", "kuntouttava,Kuntouttava työtoiminta,keusote;kela,20,",
         "kuntouttava,Kuntouttava työtoiminta (uusi),keusote;kela,25,")
    with open(after / "referrals.csv", "a", encoding="utf-8") as f:
        f.write("r3,alkuhaastattelu,tyo,,9,3,,yes\n")
    return before, after


def test_a_graph_diffed_with_itself_is_empty(tmp_path: Path) -> None:
    result = run("diff", EXAMPLE, EXAMPLE, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == {"added": [], "removed": [], "changed": [],
                                         "findings": {"created": [], "resolved": []}}


def test_two_versions(versions: tuple[Path, Path]) -> None:
    before, after = versions
    result = run("diff", before, after, "--format", "json")
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert d["added"] == ["r3"] and d["removed"] == []
    assert d["changed"] == [{"id": "kuntouttava", "fields": {
        "capacity_per_month": ["20", "25"],
        "name": ["Kuntouttava työtoiminta", "Kuntouttava työtoiminta (uusi)"]}}]
    created = [(f["kind"], f["subject"]) for f in d["findings"]["created"]]
    assert ("referral-without-owner", "r3") in created
    assert set(d) == {"added", "removed", "changed", "findings"}
    # the reverse diff swaps added/removed and created/resolved
    back = json.loads(run("diff", after, before, "--format", "json").output)
    assert back["removed"] == ["r3"]
    assert back["findings"]["resolved"] == d["findings"]["created"]
    text = run("diff", before, after).output
    # by name, and the id a designer looks up in the workbook
    assert "(r3)" in text and "+ r3" not in text and "~ " in text and "(kuntouttava)" in text
    assert "Asiakkaita, jotka palvelu voi ottaa kuukaudessa: 20 → 25" in text


def test_two_regions_compare_by_id() -> None:
    result = run("diff", EXAMPLE, SECOND, "--format", "json")
    assert result.exit_code == 0
    d = json.loads(result.output)
    assert d["added"] == sorted(d["added"]) and d["removed"] == sorted(d["removed"])
    assert "hyvaks" in d["added"] and "keusote" in d["removed"]
    kela = next(c for c in d["changed"] if c["id"] == "kela")
    assert kela["fields"]["name"] == ["Kansaneläkelaitos (Kela)", "Kela"]
    assert "alkuhaastattelu" in {c["id"] for c in d["changed"]}  # same id, other facts


def test_diff_text_says_columns_values_and_ids_in_words() -> None:
    """The text names each column as people read it, choices by their words and ids by the
    names of what they name, in the reader's language (as the change log does); the JSON
    keeps the workbook's columns and values."""
    from polku.io import workbook

    text = run("diff", EXAMPLE, SECOND_REGION).stdout
    changed = [line.strip() for line in text.splitlines() if line.startswith("    ")]
    columns = {c.name for s in workbook.SHEETS.values() for c in s.columns} | {
        "contact_unit", "steps"}
    assert changed and not [x for x in changed if x.split(":")[0] in columns]
    assert "Tuottajien järjestämistapa: – → erikseen" in changed
    assert "Aloituspalvelu asiakasryhmille: ei → –" in changed
    assert "Ohjattuja asiakkaita kuukaudessa: <5 → 20" in changed
    assert "tarve-" not in "\n".join(changed)
    assert any(x.startswith("Asiakasryhmän tarpeet:") and "Terveys ja toimintakyky" in x
               for x in changed)
    en = run("diff", EXAMPLE, SECOND_REGION, "--lang", "en").stdout
    assert "How the providers organise it: – → separately" in en
    doc = json.loads(run("diff", EXAMPLE, SECOND_REGION, "--format", "json").stdout)
    fields = [f for c in doc["changed"] for f in c["fields"].items()]
    assert ("organised", [None, "separately"]) in fields
    assert any(k == "needs" and any(v and "tarve-" in v for v in vals) for k, vals in fields)


def test_the_shared_copy_differs_in_every_figure_it_left_out(tmp_path: Path) -> None:
    """The example beside its JSON-LD copy for others: 22 small figures were left out of
    the copy, so 22 cells changed (it said "0 muuttunut"), each said to be hidden by the
    copy — for the owner (--no-suppress: 4 → <5) and, by default, for the public (<5 → <5:
    the original holds a figure the copy does not, and nothing more). Two copies that both
    left a figure out show no change there."""
    shared = tmp_path / "shared.jsonld"
    assert run("export", EXAMPLE, "--to", "jsonld", "-o", shared).exit_code == 0
    owner = json.loads(run("diff", EXAMPLE, shared, "--format", "json",
                           "--no-suppress").stdout)
    assert len(owner["changed"]) == 22 and not owner["added"] and not owner["removed"]
    debt = {c["id"]: c for c in owner["changed"]}["ref-diakonia-velkaneuvonta"]
    assert debt == {"id": "ref-diakonia-velkaneuvonta",
                    "fields": {"volume_per_month": ["4", "<5"]},
                    "left_out": {"volume_per_month": "new"}}
    public = json.loads(run("diff", EXAMPLE, shared, "--format", "json").stdout)
    assert len(public["changed"]) == 22
    assert {tuple(v) for c in public["changed"] for v in c["fields"].values()} == {("<5", "<5")}
    back = json.loads(run("diff", shared, EXAMPLE, "--format", "json").stdout)
    assert {c["left_out"]["volume_per_month"] for c in back["changed"]} == {"old"}
    for lang, said in (("fi", "0 muuttunut"), ("sv", "0 ändrade")):
        text = run("diff", EXAMPLE, shared, "--lang", lang).stdout
        assert "22 " in text.splitlines()[0] and said not in text.splitlines()[0], text
    fi = run("diff", EXAMPLE, shared, "--lang", "fi", "--no-suppress").stdout
    assert "Ohjattuja asiakkaita kuukaudessa: 4 → <5 (piilotettu: toinen aineisto " \
           "jättää tämän pienen luvun pois)" in fi, fi
    sv = run("diff", EXAMPLE, shared, "--lang", "sv").stdout
    assert "(dold: det andra ekosystemet utelämnar detta lilla tal)" in sv, sv
    assert json.loads(run("diff", shared, shared, "--format", "json").stdout)["changed"] == []


def test_bad_diff_requests(tmp_path: Path) -> None:
    assert run("diff", EXAMPLE, SECOND, "--format", "yaml").exit_code == 1
    result = run("diff", EXAMPLE, SECOND, "--format", "html")
    assert result.exit_code == 1 and "-o" in result.output
    assert run("diff", EXAMPLE, tmp_path / "missing.ttl").exit_code == 1
    result = run("diff", EXAMPLE, SECOND, "--format", "html", "-o", tmp_path / "d.json")
    assert result.exit_code == 1 and not (tmp_path / "d.json").exists()


def test_diff_page(versions: tuple[Path, Path], tmp_path: Path) -> None:
    before, after = versions
    out = tmp_path / "diff.html"
    assert run("diff", before, after, "--format", "html", "-o", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "<script src=" not in page and "<link " not in page  # self-contained


def test_diff_page_in_chromium(versions: tuple[Path, Path], tmp_path: Path, open_page) -> None:
    before, after = versions
    out = tmp_path / "diff.html"
    assert run("diff", before, after, "--format", "html", "-o", out).exit_code == 0
    opened = open_page(out, width=1400, height=900, allow=only("file:"), timeout=30000,
                       state="visible")
    status = opened.js("Object.fromEntries(window.polku.nodes.get().map(n => [n.id, n.diff]))")
    edges = opened.js("window.polku.edges.get().filter(e => e.rid === 'r3').map(e => e.diff)")
    ARTIFACTS.mkdir(exist_ok=True)
    opened.page.screenshot(path=str(ARTIFACTS / "diff.png"))
    assert opened.errors == [] and opened.requests == []
    assert status["kuntouttava"] == "changed" and status["alkuhaastattelu"] == "same"
    assert edges == ["added"]
