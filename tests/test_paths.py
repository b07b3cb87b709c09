"""Best paths and designed paths (polku.analyses.paths): ranking, hand-offs, owners, checks."""

from __future__ import annotations

import json

import pytest

from ecobuild import Builder
from helpers import run
from polku.present.langmarks import unmarked
from polku.errors import PolkuError
from polku.analyses.paths import best_paths, designed_paths, paths_report, ranked_paths
from polku.present.i18n import translator
from polku.present.printers import paths_text
from polku.present.results import paths_worded


def two_routes() -> Builder:
    """seg enters at a (x). Route 1: a → b (x) → work, waits 5 + 5. Route 2: a → c (y) →
    work, waits 2 + 8: the same 10 days but one hand-off more."""
    b = Builder().chain()
    b.service("c", providers=["y"])
    b.referral("r-ac", "a", "c", owner="x", wait=2)
    b.referral("r-cw", "c", "work", owner="y", wait=8)
    return b


def nodes(p) -> list[str]:
    return [s["node"] for s in p["steps"]]


def test_equal_wait_is_ranked_by_handoffs():
    paths = best_paths(two_routes().g, "seg", k=5)
    assert [nodes(p) for p in paths] == [["a", "b", "work"], ["a", "c", "work"]]
    assert [(p["total_wait_days"], p["handoffs"], p["rank"]) for p in paths] == \
        [(10, 0, 1), (10, 1, 2)]


def test_shorter_wait_beats_fewer_handoffs():
    b = two_routes()
    b.referral("r-cw", "c", "work", owner="y", wait=7)
    assert [nodes(p) for p in best_paths(b.g, "seg")][0] == ["a", "c", "work"]


def test_steps_carry_provider_wait_owner_and_handoff():
    [_, p] = best_paths(two_routes().g, "seg", k=2)
    first, second, last = p["steps"]
    assert first["referral"] is None and first["wait"] is None
    assert (second["node"], second["providers"], second["referral"], second["wait"],
            second["owner"], second["handoff"]) == ("c", ["y"], "r-ac", 2, "x", True)
    assert (last["type"], last["handoff"], last["owner"]) == ("outcome", False, "y")


def test_owner_falls_back_to_the_referral_lead():
    b = two_routes()
    b.referral("r-ac", "a", "c", wait=2)
    b.role("z", "r-ac", "lead")
    p = [p for p in best_paths(b.g, "seg") if nodes(p)[1] == "c"][0]
    assert p["steps"][1]["owner"] == "z"


def test_k_limits_and_to_filters_outcomes():
    b = two_routes()
    b.outcome("study")
    b.referral("r-bs", "b", "study", owner="x", wait=1)
    assert len(best_paths(b.g, "seg", k=1)) == 1
    assert {nodes(p)[-1] for p in best_paths(b.g, "seg", k=5, to="study")} == {"study"}
    with pytest.raises(PolkuError, match="'b' is not an outcome"):
        best_paths(b.g, "seg", to="b")


def test_paths_stay_inside_the_segments_reach():
    b = two_routes()
    b.service("c", providers=["y"], segments=["other"])      # c not for seg
    assert [nodes(p) for p in best_paths(b.g, "seg", k=5)] == [["a", "b", "work"]]
    b.referral("r-ab", "a", "b", segments=["other"], owner="x", wait=5)
    assert best_paths(b.g, "seg", k=5) == []


def test_parallel_referrals_use_the_shortest_applicable_wait():
    b = Builder().chain()
    b.referral("r-ab2", "a", "b", owner="x", wait=1)
    b.referral("r-ab3", "a", "b", owner="x", wait=0, segments=["other"])
    [p] = best_paths(b.g, "seg")
    assert p["steps"][1]["referral"] == "r-ab2" and p["total_wait_days"] == 6


def test_unknown_waits_count_as_zero_and_are_counted():
    b = Builder().chain()
    b.referral("r-ab", "a", "b", owner="x")
    [p] = best_paths(b.g, "seg")
    assert (p["total_wait_days"], p["unknown_waits"]) == (5, 1)


def test_a_referral_into_an_outcome_without_a_wait_is_no_unknown_wait():
    """The wait is the median days to the first contact at ``to``: an outcome has none, so
    a referral into one without a wait is not a wait nobody knows (every referral into an
    outcome of the example has none, and every path said "1 wait unknown"); one that gives
    a wait still counts in the total."""
    b = Builder().chain()
    b.referral("r-bw", "b", "work", owner="x")
    b.path("p", "seg", ["a", "b", "work"])
    [p] = best_paths(b.g, "seg")
    [d] = designed_paths(b.g, "seg")
    assert [(x["total_wait_days"], x["unknown_waits"]) for x in (p, d)] == [(5, 0), (5, 0)]
    b.referral("r-bw", "b", "work", owner="x", wait=3)
    [p] = best_paths(b.g, "seg")
    assert (p["total_wait_days"], p["unknown_waits"]) == (8, 0)


def test_unknown_segment_is_named():
    with pytest.raises(PolkuError, match="unknown segment 'nope'"):
        best_paths(two_routes().g, "nope")
    with pytest.raises(PolkuError, match="unknown segment 'a'"):
        best_paths(two_routes().g, "a")   # a service, not a segment


def test_designed_paths_are_checked_and_match_path_broken_findings():
    from polku.analyses.findings import find

    b = two_routes()
    b.path("ok", "seg", ["a", "b", "work"])
    b.path("bad", "seg", ["a", "b", "c", "work"])
    b.path("elsewhere", "other", ["a", "c"])
    designed = {d["path"]: d for d in designed_paths(b.g, "seg")}
    assert sorted(designed) == ["bad", "ok"]
    assert designed["ok"]["broken"] == [] and designed["ok"]["total_wait_days"] == 10
    assert [s["broken"] for s in designed["bad"]["steps"]] == [False, False, True, False]
    from_find = [f.to_dict() for f in find(b.g) if f.kind == "path-broken"
                 and f.subject == "bad"]
    assert designed["bad"]["broken"] == from_find


def test_report_and_text_name_things_by_label():
    g = two_routes().g
    report = paths_worded(paths_report(g, "seg", k=2), g, translator("en"))
    text = paths_text(report, translator("en"))
    assert "Best paths for Seg (seg)" in text
    assert "TO ANOTHER ORGANISATION" in text and "owner X" in text and "Work [work]" in text
    assert "1 hand-off between organisations" in text
    # every step is a referral ("ohjaus"): the mark says the organisation changes
    fi = paths_text(paths_worded(paths_report(g, "seg", k=2), g, translator("fi")),
                    translator("fi"))
    assert "TOISEEN ORGANISAATIOON" in fi and "OHJAUS" not in fi
    assert "1 ohjaus organisaatiosta toiseen" in fi


def needy() -> Builder:
    """The issue's case: seg has debt and housing needs. The fast route a → b → work (10
    days) meets neither; a → d (debt) → h (housing) → work takes 40 days and meets both;
    a → d → work (20 days) meets debt only."""
    b = debt_and_housing()
    b.referral("r-dh", "d", "h", owner="y", wait=20)
    b.referral("r-hw", "h", "work", owner="z", wait=10)
    return b


def debt_and_housing() -> Builder:
    """seg has debt and housing needs, met at d (debt) and h (housing); a → d → work."""
    b = Builder().chain().actor("y").actor("z")
    b.segment("seg", entries=["a"], needs=["debt", "housing"])
    b.service("d", providers=["y"], needs=["debt"])
    b.service("h", providers=["z"], needs=["housing"])
    b.referral("r-ad", "a", "d", owner="x", wait=10)
    b.referral("r-dw", "d", "work", owner="y", wait=10)
    return b


def test_paths_that_meet_more_needs_rank_first():
    paths = best_paths(needy().g, "seg", k=5)
    assert [nodes(p) for p in paths] == [["a", "d", "h", "work"], ["a", "d", "work"],
                                         ["a", "b", "work"]]
    assert [(p["covered"], p["uncovered"]) for p in paths] == [
        (["debt", "housing"], []), (["debt"], ["housing"]), ([], ["debt", "housing"])]


def test_a_service_not_for_the_segment_covers_nothing():
    b = needy()
    b.service("a", providers=["x"], entry=True, needs=["debt", "housing"], segments=["other"])
    [p] = [p for p in best_paths(b.g, "seg", k=5) if nodes(p) == ["a", "b", "work"]]
    assert p["uncovered"] == ["debt", "housing"]       # a is only an (ineligible) entry


def test_paths_command_json_gives_covered_and_uncovered_needs(tmp_path):
    folder = needy().workbook(tmp_path / "needy")
    r = run("paths", folder, "--segment", "seg", "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["needs"] == ["debt", "housing"]
    assert doc["search"]["exact"] is True
    assert [(p["covered"], p["uncovered"]) for p in doc["best"]][0] == (["debt", "housing"], [])
    text = run("paths", folder, "--segment", "seg", "--lang", "en").stdout
    # the needs by their names
    assert "needs left uncovered: Housing" in text and "bounded search" not in text


def test_a_bounded_search_says_so_and_still_gives_paths(tmp_path):
    folder = needy().workbook(tmp_path / "needy")
    search = ranked_paths(needy().g, "seg", k=3, max_expansions=1)
    assert not search.exact and search.expanded == 1
    assert len(search.paths) == 3
    assert all(nodes(p)[0] == "a" and nodes(p)[-1] == "work" for p in search.paths)
    r = run("paths", folder, "--segment", "seg", "--format", "json", "--max-expansions", "1")
    assert json.loads(r.stdout)["search"] == {"exact": False, "expanded": 1,
                                              "max_expansions": 1}
    text = run("paths", folder, "--segment", "seg", "--max-expansions", "1",
               "--lang", "en").stdout
    assert "bounded search: stopped after 1 partial paths" in text


def test_segment_and_path_views_label_hand_offs_and_show_uncovered_needs():
    from polku.present.views.registry import build_view

    b = needy()
    b.path("designed", "seg", ["a", "d", "work"])
    paths = best_paths(b.g, "seg", k=3)
    v = build_view(b.g, "segment:seg", paths=paths, k=3, lang="en")
    # the edges carry no text (it overlapped); the hand-offs of the best paths are rows of
    # the view's table: path, from, to, wait, clients a month, owner
    assert not any(e.get("label") for e in v.edges if e.get("kind") == "referral")
    # (the names are Finnish on this English page: marked with their language for the HTML)
    rows = [[unmarked(c) for c in r["cells"][:6]] for r in v.table["rows"]]
    assert ["#1", "A", "D", "10", "?", "X"] in rows              # r-ad, on best path #1
    assert ["#3", "A", "B", "5", "?", "X"] in rows               # r-ab, on best path #3
    assert {e["rid"]: e.get("onpath") for e in v.edges if e.get("kind") == "referral"}[
        "r-ad"] == 0
    legend = [unmarked(i["label"]) for i in v.legend if i.get("item") != "heading"]
    assert any(t.startswith("#1:") and t.endswith("covers every need") for t in legend)
    assert any(t.startswith("#3:") and "needs left uncovered: Debt, Housing" in t
               for t in legend)
    p = build_view(b.g, "path:designed", lang="en")
    assert sorted(e["label"] for e in p.edges if e.get("kind") == "referral") == [
        "10 d · ?/mo · X", "10 d · ?/mo · Y"]


def test_hand_offs_count_the_fewest_changes_of_organisation():
    """A service two organisations run hands nothing off from either's service, but a
    client cannot be with both: x's service → the one x and y both run → y's is one
    change of organisation (it was counted as none, and the blueprint drew a crossing the
    count did not have); each step says which organisation carries it, the one that leads
    a service where that costs no change."""
    b = Builder().chain()
    b.actor("y")
    b.service("b", providers=["x", "y"])
    b.service("c", providers=["y"])
    b.referral("r-bc", "b", "c", owner="y", wait=1)
    b.referral("r-cw", "c", "work", owner="y")
    [p] = [p for p in best_paths(b.g, "seg", k=5) if nodes(p) == ["a", "b", "c", "work"]]
    assert p["handoffs"] == 1
    assert [(s["organisation"], s["handoff"]) for s in p["steps"]] == \
        [("x", False), ("x", False), ("y", True), (None, False)]
    b.role("y", "b", "lead")        # y leads b: the change comes one step earlier
    [p] = [p for p in best_paths(b.g, "seg", k=5) if nodes(p) == ["a", "b", "c", "work"]]
    assert p["handoffs"] == 1
    assert [s["organisation"] for s in p["steps"]] == ["x", "y", "y", None]
    # a path a → b → work (x's, then x's or y's) stays with x: none
    [p] = [p for p in best_paths(b.g, "seg", k=5) if nodes(p) == ["a", "b", "work"]]
    assert p["handoffs"] == 0 and p["steps"][1]["organisation"] == "x"


def test_two_units_of_one_county_hand_nothing_off():
    """Keusote's health stations and its work-ability team are units of one county (actors
    ``part_of`` keusote, of its kind): a referral between them is no hand-off between
    organisations, as the report's hand-off overview and the RACI's organisations count."""
    from pathlib import Path

    from polku.analyses.handoffs import organisation
    from polku.io.load import load_graph

    g = load_graph(Path(__file__).resolve().parents[1] / "graphs" / "keski-uusimaa")
    assert organisation(g, "keusote-terveysasemat") == organisation(g, "keusote-tyokykytiimi")
    [p] = best_paths(g, "seg-elakepolku", k=1)
    steps = {s["node"]: s for s in p["steps"]}
    assert steps["terveysasema"]["providers"] == ["keusote-terveysasemat"]
    assert steps["monialainen-tyokyvyn-arviointi"]["providers"] == ["keusote-tyokykytiimi"]
    assert steps["monialainen-tyokyvyn-arviointi"]["handoff"] is False
    assert steps["monialainen-tyokyvyn-arviointi"]["organisations"] == ["keusote"]
    assert p["handoffs"] == 1 and p["organisations"] == 2


def side_visit() -> Builder:
    """needy()'s segment, but housing is met only at h, which a → h refers to and which
    refers nowhere but back to a: a side visit no simple path to work can take."""
    b = debt_and_housing()
    b.referral("r-ah", "a", "h", owner="x", wait=5)
    b.referral("r-ha", "h", "a", owner="z", wait=5)
    return b


def test_a_need_met_only_off_every_best_path_names_where_it_is_met(tmp_path):
    report = paths_report(side_visit().g, "seg", k=5)
    assert all("housing" in p["uncovered"] for p in report["best"])
    # debt is covered by a best path, housing by none: only housing, at h
    assert report["met_off_path"] == {"housing": ["h"]}
    # met by a best path, or met nowhere (an unmet need): nothing named
    assert paths_report(needy().g, "seg", k=5)["met_off_path"] == {}
    b = side_visit()
    b.service("h", providers=["z"], needs=[])
    assert paths_report(b.g, "seg", k=5)["met_off_path"] == {}

    folder = side_visit().workbook(tmp_path / "side")
    doc = json.loads(run("paths", folder, "--segment", "seg", "--format", "json").stdout)
    assert doc["met_off_path"] == {"housing": ["h"]}
    assert doc["met_off_path_labels"][0]["need"] == "housing"
    for lang, said in (("en", "although the segment can reach a service that meets them"),
                       ("fi", "vaikka asiakasryhmä tavoittaa palvelun")):
        text = run("paths", folder, "--segment", "seg", "--lang", lang).stdout
        assert said in text, text
        label = translator(lang).label(side_visit().g, "h")
        assert text.rstrip().endswith(f": {label}")


def test_the_path_explorer_names_a_need_met_only_off_the_best_paths(tmp_path):
    """The example region: housing counselling is reached from adult social work and refers
    only back there, so every best path of seg-monitarve leaves housing uncovered; the page
    says where housing is met, for the public too (no figure in it)."""
    import shutil
    from pathlib import Path

    from fastapi.testclient import TestClient
    from polku.app import create_app

    folder = tmp_path / "graphs"
    shutil.copytree(Path(__file__).resolve().parents[1] / "graphs" / "keski-uusimaa",
                    folder / "keski-uusimaa")
    client = TestClient(create_app([folder]))
    page = client.get("/graphs/keski-uusimaa/paths?segment=seg-monitarve&k=3&lang=fi")
    assert page.status_code == 200
    html = page.text
    assert 'id="met-off-path"' in html
    row = html.split('<tr data-need="tarve-asuminen">')[1].split("</tr>")[0]
    assert "Asuminen" in row and "Asumisneuvonta" in row
    api = client.get("/api/graphs/keski-uusimaa/paths?segment=seg-monitarve&k=3")
    assert api.json()["met_off_path"] == {"tarve-asuminen": ["asumisneuvonta"]}
    # a segment whose best paths meet every need it can reach: no such section
    other = client.get("/graphs/keski-uusimaa/paths?segment=seg-nuoret&lang=fi").text
    assert 'id="met-off-path"' not in other
