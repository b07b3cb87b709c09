"""The views without a browser: escaping, self-containedness, what each view holds, the CLI.

The browser half (the pages really run, search, tooltips, no request) is
tests/test_render_browser.py.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from helpers import run
from polku.present import views as render
from polku.present.langmarks import unmarked
from polku.present.views.page import _vis_assets
from polku.errors import PolkuError
from polku.analyses.paths import best_paths
from polku.analyses.reach import ecosystem, segment_reach
from polku.io.workbook import write_workbook
from render_graph import XSS, XSS_SCRIPT, demo_graph, findings, g  # noqa: F401 (fixtures)

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")

VIEWS = ("ecosystem", "segment:seg-hoitosuhteessa", "segment:seg-monitarve", "path:polku-ips",
         "path:polku-velat", "responsibility")


def data_block(page: str) -> dict:
    """The view's JSON, read back exactly as the page script reads it."""
    m = re.search(r'<script type="application/json" class="pv-data">(.*?)</script>', page, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


# --- escaping -----------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.recursive(st.text() | st.integers() | st.booleans(),
                    lambda kids: st.lists(kids, max_size=4)
                    | st.dictionaries(st.text(max_size=8), kids, max_size=4), max_leaves=12))
def test_json_for_html_never_closes_its_element_and_round_trips(value):
    text = render.json_for_html(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value


def test_user_text_never_reaches_the_page_as_markup(g, findings):
    for view in VIEWS:
        page = render.render_html(g, view, audience="editor", findings=findings)
        # The only script elements are the five of the page itself (vis, ours, data,
        # start, the scroll boxes' focus).
        assert page.count("</script>") == 5, view
        assert "<img" not in page, view
        assert XSS_SCRIPT not in page
        assert "alert(2)</script>" not in page


def test_title_and_options_are_autoescaped():
    g = demo_graph(name=XSS_SCRIPT)
    g.nodes["seg-tyovalmiit"]["name"] = XSS
    page = render.render_html(g, "ecosystem", lang="en")
    assert "<title>Ecosystem · &lt;/script&gt;&lt;script&gt;alert(2)" in page
    # the Finnish name on an English page says its language (WCAG 3.1.2)
    assert f'<option value="seg-tyovalmiit" lang="fi">{html.escape(XSS)}</option>' in page
    assert "<img" not in page


def test_inlined_library_cannot_close_its_script():
    js, css = _vis_assets()
    assert not re.search(r"</script", js, re.I) and not re.search(r"</style", css, re.I)
    assert "sourceMappingURL" not in js


def test_iframe_embeds_the_page_as_one_escaped_attribute(g):
    page = render.render_html(g, "path:polku-ips")
    frame = str(render.iframe(page, title=XSS))
    assert frame.startswith('<iframe class="polku-view-frame" title="&lt;img')
    srcdoc = re.search(r'srcdoc="([^"]*)"', frame).group(1)
    assert "<" not in srcdoc and html.unescape(srcdoc) == page


# --- self-contained -----------------------------------------------------------------------

def test_pages_load_nothing_from_anywhere(g, findings):
    for view in VIEWS:
        page = render.render_html(g, view, audience="editor", findings=findings)
        assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:)?//""", page, re.I), view
        assert not re.search(r"<link\b", page, re.I)
        assert not re.search(r"@import|url\(\s*['\"]?\s*(https?:)?//", page, re.I)
        assert "bootstrap" not in page.lower()
        assert "default-src 'none'" in page  # the page forbids every fetch itself


def test_fragments_share_one_set_of_assets(g, findings):
    one = str(render.render_fragment(g, "ecosystem", element_id="a", findings=findings))
    two = str(render.render_fragment(g, "responsibility", element_id="b"))
    assets = str(render.page_assets())
    assert "vis-network" in assets and "vis-network" not in one + two
    assert 'id="a"' in one and 'id="b"' in two
    # each starts the view it stands in, by the same text (the page's policy allows it by hash)
    assert one.count("polkuView(document.currentScript.parentElement)") == 1
    assert two.count("polkuView(document.currentScript.parentElement)") == 1
    with pytest.raises(PolkuError):
        render.render_fragment(g, "ecosystem", element_id='x");alert(1);("')


# --- what the views hold -------------------------------------------------------------------

def gids(view: render.View) -> set[str]:
    return {n["gid"] for n in view.nodes}


def test_ecosystem_draws_every_actor_service_segment_need_and_outcome(g, findings):
    v = render.build_view(g, "ecosystem", findings=findings, lang="en")
    want = {n for n, t in g.nodes(data="type")
            if t in ("actor", "service", "segment", "need", "outcome")}
    assert gids(v) == want
    refs = {e["rid"]: e for e in v.edges if e["kind"] == "referral"}
    assert set(refs) == {n for n, t in g.nodes(data="type") if t == "referral"}
    assert (refs["r2"]["from"], refs["r2"]["to"]) == ("alkuhaastattelu", "typ")
    assert refs["r2"]["dashes"] == render.DASHES_NO          # information does not travel
    assert refs["r3"]["dashes"] == render.DASHES_UNKNOWN
    assert refs["r1"]["dashes"] is False
    assert refs["r1"]["width"] > refs["r8"]["width"]          # 30 vs 2 clients a month
    for key in ("Volume: 25 / month", "Median wait: 21 days", "Owner: Keski-Uudenmaan",
                "Information flow: no", "Segments: all"):
        assert key in unmarked(refs["r2"]["title"])  # Finnish names marked on an English page
    nodes = {n["gid"]: n for n in v.nodes}
    assert nodes["orpo"]["sev"] == "error"                    # service without provider
    assert nodes["orpo"]["color"]["border"] == render.SEVERITY_COLOURS["error"]
    assert nodes["typ"]["sev"] == "warning"                   # two leads
    assert "several leads" in nodes["typ"]["title"]
    assert nodes["typ"]["shape"] == "dot" and nodes["kela"]["shape"] == "hexagon"
    assert nodes["alkuhaastattelu"]["size"] > nodes["xss"]["size"]  # capacity 120 vs 10
    assert "Provider: Keski-Uudenmaan työllisyysalue" in unmarked(nodes["alkuhaastattelu"]["title"])
    assert "Capacity: 30 / month" in nodes["typ"]["title"]
    assert refs["r5"]["sev"] == "error"                       # referral without owner
    assert v.cluster is None


def test_segment_view_is_what_the_segment_reaches(g, findings):
    paths = best_paths(g, "seg-hoitosuhteessa", k=2)
    v = render.build_view(g, "segment:seg-hoitosuhteessa", findings=findings, paths=paths, k=2)
    reach = segment_reach(ecosystem(g), "seg-hoitosuhteessa")
    assert gids(v) == reach | {"seg-hoitosuhteessa", "mielenterveys", "tyokyky"}
    assert "velkaneuvonta" not in gids(v)      # r6 is only for seg-monitarve
    levels = {n["gid"]: n["level"] for n in v.nodes}
    assert levels["mielenterveys"] < levels["seg-hoitosuhteessa"] < levels["alkuhaastattelu"]
    assert levels["tyo"] == max(levels.values())   # outcomes on the right
    best = [s["node"] for s in paths[0]["steps"]]
    on = [(e["from"], e["to"]) for e in v.edges if e.get("onpath") == 0]
    assert set(zip(best, best[1:])) <= set(on)
    assert v.hierarchical


def test_unmet_need_is_a_red_need_node(g, findings):
    v = render.build_view(g, "segment:seg-monitarve", findings=findings)
    nodes = {n["gid"]: n for n in v.nodes}
    assert nodes["asuminen"].get("unmet") and nodes["asuminen"]["color"]["background"] == render.UNMET_COLOUR
    assert not nodes["velat"].get("unmet")


def test_path_view_marks_broken_steps(g, findings):
    v = render.build_view(g, "path:polku-velat", findings=findings, lang="en")
    broken = [e for e in v.edges if e["kind"] == "broken"]
    assert [(e["from"], e["to"]) for e in broken] == [("alkuhaastattelu", "velkaneuvonta"),
                                                      ("velkaneuvonta", "tyo")]
    assert "velkaneuvonta" in broken[0]["title"].lower() or "Velkaneuvonta" in broken[0]["title"]
    ok = render.build_view(g, "path:polku-ips", findings=findings)
    assert not [e for e in ok.edges if e["kind"] == "broken"]
    assert [n["label"].split("\n")[0] for n in ok.nodes if n["ptype"] != "segment"] == [
        "1. Alkuhaastattelu", "2. Monialainen palvelutarpeen arviointi", "3. IPS-työhönvalmennus",
        "4. Työ avoimilla työmarkkinoilla"]


def test_responsibility_view_marks_no_lead_and_several_leads(g, findings):
    v = render.build_view(g, "responsibility", findings=findings)
    nodes = {n["gid"]: n for n in v.nodes}
    assert nodes["tyokokeilu"]["resp"] == "none"
    assert nodes["typ"]["resp"] == "many"
    assert "resp" not in nodes["alkuhaastattelu"] and "resp" not in nodes["r3"]
    assert "resp" not in nodes["r2"]          # its owner answers for it
    assert nodes["r5"]["resp"] == "none"      # no owner, no lead
    assert nodes["r3"]["label"] == "Monialainen palvelutarpeen arviointi → IPS-työhönvalmennus"
    roles = {(e["from"], e["to"]): e for e in v.edges}
    assert roles[("keusote", "typ")]["width"] > roles[("kela", "typ")]["width"]
    assert roles[("kela", "tyokokeilu")]["dashes"]


def test_focus_keeps_what_lies_within_depth_steps_both_ways(g):
    zero = render.build_view(g, "ecosystem", focus="ips", depth=0)
    assert gids(zero) == {"ips"} and zero.nodes[0]["focus"]
    one = render.build_view(g, "ecosystem", focus="ips", depth=1)
    # r3 typ → ips comes in, r4 ips → tyo goes out, Keusote provides, the need it addresses
    assert gids(one) == {"ips", "typ", "tyo", "keusote", "mielenterveys"}
    two = render.build_view(g, "ecosystem", focus="ips", depth=2)
    assert gids(one) < gids(two) and "alkuhaastattelu" in gids(two)
    via_referral = render.build_view(g, "ecosystem", focus="r3", depth=0)
    assert gids(via_referral) == {"typ", "ips"}
    with pytest.raises(PolkuError, match="no such node"):
        render.build_view(g, "ecosystem", focus="nothing")
    with pytest.raises(PolkuError, match="not shown"):
        render.build_view(g, "ecosystem", focus="polku-ips")


def test_big_graphs_collapse_services_into_their_providers(g):
    v = render.build_view(g, "ecosystem", cluster_threshold=10, lang="en")
    groups = v.cluster["groups"]
    nodes = {n["gid"]: n for n in v.nodes}
    assert nodes["typ"]["cid"] == "actor:kela"        # first provider by id
    assert nodes["kela"]["cid"] == "actor:kela"
    assert nodes["orpo"]["cid"] == "none"
    assert groups["actor:kela"]["services"] == 2          # työkokeilu, TYP
    assert groups["actor:tyollisyysalue"]["services"] == 1
    # A segment goes with the group of its first entry service; needs stay out.
    assert nodes["seg-tyovalmiit"]["cid"] == "actor:tyollisyysalue"
    assert groups["actor:tyollisyysalue"]["segment"] == 3
    assert "cid" not in nodes["tyonhaku"]
    assert "3 segments" in groups["actor:tyollisyysalue"]["title"]
    by_region = render.build_view(g, "ecosystem", cluster_threshold=10, cluster_by="region")
    assert {n["cid"] for n in by_region.nodes if n.get("cid")} == {"region:Keski-Uusimaa", "none"}
    assert render.build_view(g, "ecosystem").cluster is None


def test_bad_views_say_what_is_wrong(g):
    for view, msg in (("nope", "unknown view"), ("segment", "needs an id"),
                      ("segment:nope", "no such segment"), ("path:ips", "no such designed path"),
                      ("ecosystem:x", "takes no argument")):
        with pytest.raises(PolkuError, match=msg):
            render.build_view(g, view)
    with pytest.raises(PolkuError, match="unknown grouping 'colour'") as e:
        render.build_view(g, "ecosystem", cluster_by="colour")
    assert e.value.field == "cluster_by"


# --- the CLI --------------------------------------------------------------------------------

def test_cli_renders_every_view_from_a_workbook(tmp_path: Path, g):
    wb = tmp_path / "region"
    write_workbook(g, wb)
    for view in VIEWS:
        out = tmp_path / f"{view.replace(':', '_')}.html"
        res = run("render", wb, "-o", out, "--view", view)
        assert res.exit_code == 0, res.output
        assert f"wrote {out}" in res.output
        page = out.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and data_block(page)["nodes"]
    # The CLI runs the analyses: findings ring the nodes, best paths are highlighted.
    eco = data_block((tmp_path / "ecosystem.html").read_text(encoding="utf-8"))
    assert {n["gid"]: n.get("sev") for n in eco["nodes"]}["orpo"] == "error"
    seg = data_block((tmp_path / "segment_seg-hoitosuhteessa.html").read_text(encoding="utf-8"))
    assert any("onpath" in e for e in seg["edges"])
    out = tmp_path / "focus.html"
    res = run("render", wb, "-o", out, "--focus", "ips", "--depth", "1")
    assert res.exit_code == 0, res.output
    assert {n["gid"] for n in data_block(out.read_text(encoding="utf-8"))["nodes"]} == {
        "ips", "typ", "tyo", "keusote", "mielenterveys"}


@pytest.mark.parametrize("args, message", [
    (["--view", "segment:nope"], "--view: unknown segment 'nope'"),
    (["--view", "colours"], "--view: unknown view 'colours'"),
    (["--focus", "nothing"], "--focus: no such node in the graph: 'nothing'"),
    (["--cluster-by", "colour"], "--cluster-by: unknown grouping 'colour'"),
    (["--view", "segment:nope", "--lang", "fi"],
     "virhe: --view: tuntematon asiakasryhmä 'nope' (asiakasryhmät:"),
])
def test_cli_bad_input_is_one_clear_line_and_writes_nothing(tmp_path: Path, g, args, message):
    wb = tmp_path / "region"
    write_workbook(g, wb)
    out = tmp_path / "out.html"
    res = run("render", wb, "-o", out, *args)
    assert res.exit_code == 1
    assert message in res.output
    assert res.output.count("\n") == 1 and "Traceback" not in res.output
    assert not out.exists()


def test_segment_view_overlays_its_designed_paths_on_the_example_region():
    """Every consecutive step of a segment's designed paths is a dashed 'designed' edge,
    named in the legend in the view's language; other segments' paths are not drawn."""
    from polku.graph import nodes_of, path_steps, targets
    from polku.io.load import load_graph
    from polku.present.views.segment import DESIGNED_COLOUR, DESIGNED_DASHES

    region = load_graph(Path(__file__).resolve().parents[1] / "graphs" / "keski-uusimaa")
    checked = 0
    for segment in nodes_of(region, "segment"):
        mine = [p for p in nodes_of(region, "path")
                if segment in targets(region, p, "path_segment")]
        for lang, heading in (("fi", "Suunnitellut polut"), ("en", "Designed paths")):
            v = render.build_view(region, f"segment:{segment}", lang=lang)
            shown = {n["id"] for n in v.nodes}
            designed = [e for e in v.edges if e["kind"] == "designed"]
            expected = [(p, a, b) for p in mine for a, b in zip(path_steps(region, p),
                                                                 path_steps(region, p)[1:])
                        if a in shown and b in shown]
            assert [(e["path"], e["from"], e["to"]) for e in designed] == expected
            for e in designed:
                assert e["dashes"] == DESIGNED_DASHES
                assert e["color"]["color"] == DESIGNED_COLOUR
            legend = [x for x in v.legend if x.get("colour") == DESIGNED_COLOUR]
            if expected:
                assert [x["dash"] for x in legend] == [" ".join(map(str, DESIGNED_DASHES))]
                assert {"item": "heading", "label": heading} in v.legend
                checked += 1
            else:
                assert legend == []
    assert checked >= 2 * 5   # most segments of the region have a designed path drawn
    # a path of seg-nuoret: all its steps are reachable, so all of them are drawn
    v = render.build_view(region, "segment:seg-nuoret", lang="en")
    steps = path_steps(region, "polku-nuori-ohjaamo")
    assert {(e["from"], e["to"]) for e in v.edges if e["kind"] == "designed"} == set(
        zip(steps, steps[1:]))


def test_view_titles_name_the_graph_by_its_title():
    """People read the graph's title ("Keski-Uudenmaan … ekosysteemi"), not its id, in
    their language ("Central Uusimaa …")."""
    from helpers import EXAMPLE_TTL
    from polku.io.load import load_graph

    g = load_graph(EXAMPLE_TTL)
    for view, lang, head, title in (
            ("ecosystem", "fi", "Ekosysteemi · ", g.graph["title"]),
            ("responsibility", "en", "Responsibilities · ", g.graph["title_en"])):
        page = render.render_html(g, view, lang=lang)
        assert f"<title>{head}{html.escape(title)}" in page, view
