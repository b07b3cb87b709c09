"""Rules of the workbook contract (docs/workbook.md, docs/findings.md) a reviewer found
unkept, held through the real CLI and the real HTTP app: a circle of parents is refused
wherever a graph comes from; a follow-up's key names a kind polku knows, in that kind's
shape, and a node the graph holds (else a warning on its row); a path-broken key is the
two steps in step order, one finding per pair; a sheet saved as ``.CSV`` is named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import edit, run
from polku.app import create_app
from polku.server.auth import parse_tokens

# these tests read the command line's English source texts
pytestmark = pytest.mark.usefixtures("english_cli")

TOKEN = "anna-token-0123456789"


def editor(served: Path) -> TestClient:
    """The mini region served to one editor."""
    return TestClient(create_app([served], parse_tokens(f"anna:{TOKEN}")),
                      raise_server_exceptions=False)


def write(client: TestClient, method: str, path: str, body: dict | None = None):
    etag = client.get("/api/graphs/mini").headers["etag"]
    return client.request(method, "/api/graphs/mini" + path, json=body, headers={
        "Authorization": f"Bearer {TOKEN}", "If-Match": etag, "Accept-Language": "en"})


# -- a circle of parents --------------------------------------------------------------------

CIRCLE = ("the parents run in a circle: keusote → tyokykytiimi → keusote (rows 2, 3); an "
          "actor's chain of parents must end at an actor without one")


def test_a_circle_of_parents_is_refused_naming_its_actors_and_rows(mini: Path) -> None:
    """keusote a unit of its own unit: the organisation the action lists group by (the top
    of the chain) does not exist, so the workbook is refused, as a self-parent is."""
    edit(mini / "actors.csv", "wellbeing-county,,Keski-Uusimaa",
         "wellbeing-county,tyokykytiimi,Keski-Uusimaa")
    r = run("validate", mini)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        f"error: {mini}/actors.csv, sheet 'actors', row 2, column 'parent': {CIRCLE}"]
    actions = run("actions", mini, "--lang", "en")
    assert actions.exit_code == 1 and "Työkykytiimi (3)" not in actions.stdout
    fi = run("validate", mini, "--lang", "fi").stderr
    assert "keusote → tyokykytiimi → keusote" in fi and "rows" not in fi
    # a longer circle is one problem, at its first row; the self-parent keeps its words
    edit(mini / "actors.csv", "kela,Kela,FPA,kela,,", "kela,Kela,FPA,kela,kela,")
    lines = run("validate", mini).stderr.splitlines()
    assert len(lines) == 2 and any(line.endswith(CIRCLE) for line in lines)
    assert any(line.endswith("row 4, column 'parent': an actor cannot be its own parent")
               for line in lines)


def test_a_circle_of_parents_in_turtle_is_refused_as_in_the_workbook(mini: Path,
                                                                    tmp_path: Path) -> None:
    ttl = tmp_path / "g.ttl"
    assert run("export", mini, "--to", "turtle", "-o", ttl).exit_code == 0
    text = ttl.read_text(encoding="utf-8")
    unit = "    org:subOrganizationOf :keusote ;\n"
    assert text.count(unit) == 1
    # keusote made a unit of its own unit, written where its kind is said
    county = '    polku:actorKind "wellbeing-county" ;\n'
    first = text.index(county)
    ttl.write_text(text[:first] + county + "    org:subOrganizationOf :tyokykytiimi ;\n"
                   + text[first + len(county):], encoding="utf-8")
    assert ttl.read_text(encoding="utf-8").count("org:subOrganizationOf") == 2
    for command in ("validate", "actions", "findings"):
        r = run(command, ttl)
        assert r.exit_code == 1, (command, r.output)
        assert ("node <keusote>: org:subOrganizationOf runs in a circle: keusote → "
                "tyokykytiimi → keusote") in r.stderr, r.stderr
    # an actor its own parent, likewise
    ttl.write_text(text.replace(unit, "    org:subOrganizationOf :tyokykytiimi ;\n"),
                   encoding="utf-8")
    r = run("findings", ttl)
    assert r.exit_code == 1
    assert "node <tyokykytiimi>: an actor cannot be its own parent" in r.stderr


def test_an_edit_that_closes_a_circle_of_parents_is_refused(served: Path) -> None:
    client = editor(served)
    r = write(client, "PATCH", "/rows/actors/keusote", {"parent": "tyokykytiimi"})
    assert r.status_code == 422, r.text
    assert CIRCLE in r.json()["error"]["message"]
    assert ",tyokykytiimi," not in (served / "mini" / "actors.csv").read_text().splitlines()[1]
    # a parent that closes no circle is taken
    r = write(client, "PATCH", "/rows/actors/kela", {"parent": "keusote"})
    assert r.status_code == 200, r.text


# -- a sheet saved with its ending in capitals ----------------------------------------------

def test_a_sheet_saved_as_upper_case_csv_is_named_and_warned_about(mini: Path) -> None:
    """segments.CSV is no segments.csv (a sheet is read from <sheet>.csv exactly, as
    Segments.csv is not read): the missing sheet's error names it as the sheet that may be
    it, and its warning says "did you mean", as for a name in another case."""
    (mini / "segments.csv").rename(mini / "segments.CSV")
    r = run("validate", mini)
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert lines[0].endswith(
        "sheet 'segments': the sheet 'segments' is missing, yet 3 references point to its ids "
        "(the first in sheet 'services', row 3, column 'segments'): the workbook has a sheet "
        "polku does not read, 'segments.CSV'; is it 'segments' renamed?"), lines[0]
    assert f"warning: {mini}/segments.CSV: the sheet 'segments.CSV' is not read: it is not " \
        "one of polku's sheets; did you mean 'segments'?" in lines
    # a required sheet so saved: its error says what the workbook has instead
    (mini / "services.csv").rename(mini / "Services.CSV")
    r = run("validate", mini)
    assert ("sheet 'services': the required sheet 'services' is missing (found "
            "'Services.CSV': names are lower-case)") in r.stderr, r.stderr
    (mini / "Services.CSV").rename(mini / "services.csv")
    (mini / "segments.CSV").rename(mini / "segments.csv")
    assert run("validate", mini, "--strict").exit_code == 0


# -- path-broken: one key per ordered pair of steps ----------------------------------------

def back_and_forth(mini: Path) -> Path:
    """The mini path as x, y, x, y, o (x alkuhaastattelu, y kuntouttava, o tyo), the
    referral x → y for another segment only: x → y breaks at steps 1 and 3, y → x at 2."""
    (mini / "paths.csv").write_text(
        "path,segment,step,node,name\np1,nuoret,1,alkuhaastattelu,Nuoren polku\n"
        "p1,nuoret,2,kuntouttava,\np1,nuoret,3,alkuhaastattelu,\np1,nuoret,4,kuntouttava,\n"
        "p1,nuoret,5,tyo,\n", encoding="utf-8")
    edit(mini / "segments.csv", "alkuhaastattelu\n", "alkuhaastattelu\nmuut,Muut,300,,,\n")
    edit(mini / "referrals.csv", "r1,alkuhaastattelu,kuntouttava,nuoret",
         "r1,alkuhaastattelu,kuntouttava,muut")
    return mini


def broken_of(source: Path, *options: str) -> list[dict]:
    r = run("findings", source, "--format", "json", "--lang", "en", *options)
    assert r.exit_code == 0, r.output
    return [f for f in json.loads(r.stdout)["findings"] if f["kind"] == "path-broken"]


def test_a_path_broken_key_is_the_pair_in_step_order_once(mini: Path) -> None:
    broken = broken_of(back_and_forth(mini))
    assert [(f["key"], f["related"], f["metrics"]) for f in broken] == [
        ("path-broken:p1:alkuhaastattelu+kuntouttava", ["alkuhaastattelu", "kuntouttava"],
         {"step": 1, "segment": "nuoret", "from": "alkuhaastattelu", "to": "kuntouttava",
          "steps": [1, 3]}),
        ("path-broken:p1:kuntouttava+alkuhaastattelu", ["alkuhaastattelu", "kuntouttava"],
         {"step": 2, "segment": "nuoret", "from": "kuntouttava", "to": "alkuhaastattelu",
          "steps": [2]})]
    assert broken[0]["message"].endswith(
        "leads from step 1 Alkuhaastattelu (alkuhaastattelu) to step 2 Kuntouttava "
        "työtoiminta (kuntouttava) (and again from step 3)")
    assert broken[1]["message"].endswith(
        "from step 2 Kuntouttava työtoiminta (kuntouttava) to step 3 Alkuhaastattelu "
        "(alkuhaastattelu)")
    fi = broken_of(mini, "--lang", "fi")[0]["message"]
    assert fi.endswith("(ja uudelleen vaiheesta 3)"), fi
    # the designed paths (polku paths) say the same findings
    r = run("paths", mini, "--segment", "nuoret", "--format", "json", "--lang", "en")
    assert r.exit_code == 0, r.output
    [path] = json.loads(r.stdout)["designed"]
    assert [(f["key"], f["metrics"]["steps"]) for f in path["broken"]] == [
        (f["key"], f["metrics"]["steps"]) for f in broken]


def test_what_reads_keys_back_tells_the_two_pairs_apart(mini: Path, tmp_path: Path) -> None:
    """A follow-up of y → x is y → x's (not resolved), one written with the ids sorted still
    names x → y, whose order is the same; a diff that mends y → x resolves that one only."""
    w = back_and_forth(mini)
    (w / "followups.csv").write_text(
        "finding,status,due\n"
        "path-broken:p1:kuntouttava+alkuhaastattelu,in-progress,2099-01-01\n"
        "path-broken:p1:alkuhaastattelu+kuntouttava,accepted-risk,\n", encoding="utf-8")
    r = run("findings", w, "--format", "json", "--lang", "en")
    assert r.exit_code == 0, r.output
    followups = json.loads(r.stdout)["followups"]
    assert {k: v["status"] for k, v in followups.items()} == {
        "path-broken:p1:kuntouttava+alkuhaastattelu": "in-progress",
        "path-broken:p1:alkuhaastattelu+kuntouttava": "accepted-risk"}
    mended = tmp_path / "mended"
    shutil.copytree(w, mended)
    edit(mended / "referrals.csv", "r2,", "r3,kuntouttava,alkuhaastattelu,,2,,keusote,yes\nr2,")
    d = run("diff", w, mended, "--format", "json", "--lang", "en")
    assert d.exit_code == 0, d.output
    found = json.loads(d.stdout)["findings"]
    assert [f["key"] for f in found["resolved"]] == ["path-broken:p1:kuntouttava+alkuhaastattelu"]
    assert found["created"] == []


def test_a_step_cannot_follow_itself(mini: Path, tmp_path: Path) -> None:
    edit(mini / "paths.csv", "p1,nuoret,2,kuntouttava,", "p1,nuoret,2,alkuhaastattelu,")
    r = run("validate", mini)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        f"error: {mini}/paths.csv, sheet 'paths', row 3, column 'node': a step cannot follow "
        "itself: 'alkuhaastattelu' is step 1 (row 2) too"]
    # in Turtle likewise
    edit(mini / "paths.csv", "p1,nuoret,2,alkuhaastattelu,", "p1,nuoret,2,kuntouttava,")
    ttl = tmp_path / "g.ttl"
    assert run("export", mini, "--to", "turtle", "-o", ttl).exit_code == 0
    text = ttl.read_text(encoding="utf-8")
    assert text.count("polku:stepNode :kuntouttava .") == 1
    ttl.write_text(text.replace("polku:stepNode :kuntouttava .",
                                "polku:stepNode :alkuhaastattelu ."), encoding="utf-8")
    r = run("findings", ttl)
    assert r.exit_code == 1
    assert "node <p1>: steps 1 and 2 are both alkuhaastattelu: a step cannot follow itself" \
        in r.stderr, r.stderr


# -- follow-up keys -------------------------------------------------------------------------

def test_a_follow_up_key_of_no_kind_or_shape_is_refused(mini: Path) -> None:
    """The reviewer's rows: an unknown kind and an unmet-need without its need were read as
    follow-ups of findings that never occur, shown "resolved" and never overdue."""
    (mini / "followups.csv").write_text(
        "finding,status,due\nfoo:bar,new,2026-01-01\n"
        "over-capacity:pieni-palvelu,in-progress,2026-01-01\nunmet-need:nuoret,new,\n"
        "over-capacty:kuntouttava,new,\nlong-wait:r1:x,new,\n"
        "path-broken:p1:alkuhaastattelu,new,\n", encoding="utf-8")
    r = run("validate", mini)
    assert r.exit_code == 1
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    where = f"error: {mini}/followups.csv, sheet 'followups', row"
    assert errors == [
        f"{where} 2, column 'finding': 'foo' in 'foo:bar' is no kind of finding "
        "(docs/findings.md lists them)",
        f"{where} 4, column 'finding': 'unmet-need:nuoret': the key of a finding of kind "
        "unmet-need is kind:subject:detail, the detail the need",
        f"{where} 5, column 'finding': 'over-capacty' in 'over-capacty:kuntouttava' is no "
        "kind of finding (did you mean 'over-capacity'?)",
        f"{where} 6, column 'finding': 'long-wait:r1:x': the key of a finding of kind "
        "long-wait is kind:subject, with nothing after the subject",
        f"{where} 7, column 'finding': 'path-broken:p1:alkuhaastattelu': the key of a finding "
        "of kind path-broken is kind:subject:detail, the detail the two steps in step order, "
        "from+to"]
    fi = run("validate", mini, "--lang", "fi").stderr
    assert "ei ole havainnon laji (tarkoititko 'over-capacity'?)" in fi
    assert "jossa tarkenne on tarve" in fi


def test_a_follow_up_of_a_node_the_workbook_lacks_is_a_warning_on_its_row(mini: Path) -> None:
    """A finding whose node was removed is resolved, and its follow-up is its history
    (docs/workbook.md, followups; docs/findings.md, "The stable key"): no error. A typo
    reads the same, so the row is warned about, with the id likely meant."""
    (mini / "followups.csv").write_text(
        "finding,status,due\nover-capacity:pieni-palvelu,in-progress,2026-01-01\n"
        "multiple-leads:kuntoutava,in-progress,2026-01-01\n"
        "over-capacity:nuoret,new,\nunmet-need:nuoret:tyokyky,new,\n"
        "single-point-of-failure:kuntouttava,new,\n", encoding="utf-8")
    r = run("validate", mini)
    assert r.exit_code == 0, r.output
    where = f"warning: {mini}/followups.csv, sheet 'followups', row"
    assert r.stderr.splitlines() == [
        f"{where} 2, column 'finding': the follow-up of 'over-capacity:pieni-palvelu' names "
        "'pieni-palvelu', which is no service of the workbook: it reads as resolved "
        "(removed, or a typo?)",
        f"{where} 3, column 'finding': the follow-up of 'multiple-leads:kuntoutava' names "
        "'kuntoutava', which is no service, referral, segment, or measure of the workbook: "
        "it reads as resolved (removed, or a typo?); did you mean 'kuntouttava'?",
        f"{where} 4, column 'finding': the follow-up of 'over-capacity:nuoret' names 'nuoret', "
        "which is no service of the workbook: it reads as resolved (removed, or a typo?)"]
    assert "3 warnings" in r.stdout
    assert run("validate", mini, "--strict").exit_code == 1
    # the history still reads as the contract says: resolved, its recorded status kept
    found = run("findings", mini, "--format", "json", "--lang", "en")
    assert found.exit_code == 0 and "did you mean 'kuntouttava'?" in found.stderr
    followups = json.loads(found.stdout)["followups"]
    assert followups["over-capacity:pieni-palvelu"]["status"] == "resolved"
    assert followups["over-capacity:pieni-palvelu"]["recorded_status"] == "in-progress"
    assert followups["single-point-of-failure:kuntouttava"]["status"] == "new"


def test_a_path_broken_follow_up_of_a_pair_the_path_does_not_take_is_warned_about(
        mini: Path) -> None:
    """Keys written with the ids sorted name the other pair where the steps run the other
    way: the row is warned about, offering the key of the pair the path takes."""
    w = back_and_forth(mini)
    edit(w / "paths.csv", "p1,nuoret,3,alkuhaastattelu,\np1,nuoret,4,kuntouttava,\n", "")
    (w / "followups.csv").write_text(
        "finding,status\npath-broken:p1:kuntouttava+alkuhaastattelu,new\n"
        "path-broken:p1:alkuhaastattelu+kuntouttava,new\n", encoding="utf-8")
    r = run("validate", w)
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines() == [
        f"warning: {w}/followups.csv, sheet 'followups', row 2, column 'finding': the "
        "follow-up of 'path-broken:p1:kuntouttava+alkuhaastattelu': the path 'p1' has no step "
        "'kuntouttava' followed by 'alkuhaastattelu': it reads as resolved (the path redrawn, "
        "or a typo?); did you mean 'path-broken:p1:alkuhaastattelu+kuntouttava'?"]


def test_a_follow_up_key_is_held_to_the_same_rule_in_turtle_and_the_api(
        mini: Path, served: Path, tmp_path: Path) -> None:
    (mini / "followups.csv").write_text("finding,status\nlong-wait:r1,new\n", encoding="utf-8")
    ttl = tmp_path / "g.ttl"
    assert run("export", mini, "--to", "turtle", "-o", ttl).exit_code == 0
    text = ttl.read_text(encoding="utf-8")
    assert text.count('"long-wait:r1"') == 1
    ttl.write_text(text.replace('"long-wait:r1"', '"foo:bar"'), encoding="utf-8")
    r = run("findings", ttl)
    assert r.exit_code == 1
    assert "'foo' in 'foo:bar' is no kind of finding" in r.stderr
    client = editor(served)
    r = write(client, "POST", "/rows/followups", {"finding": "unmet-need:nuoret",
                                                  "status": "new"})
    assert r.status_code == 422, r.text
    assert "the detail the need" in r.json()["error"]["message"]
    r = write(client, "POST", "/rows/followups", {"finding": "over-capacity:kuntoutava",
                                                  "status": "new"})
    assert r.status_code == 201, r.text
    said = json.dumps(client.get("/api/graphs/mini", headers={"Accept-Language": "en"}).json())
    assert "did you mean 'kuntouttava'?" in said


@pytest.mark.parametrize("source", ["keski-uusimaa", "plan.ttl"])
def test_every_finding_key_is_of_its_kinds_shape_and_node_types(source: str) -> None:
    """The catalogue's subject and detail types, which a follow-up's key is read against,
    are those of the findings themselves."""
    from helpers import ROOT
    from polku.analyses.findings import find
    from polku.followup import check_key, key_nodes
    from polku.io.load import load_graph

    g = load_graph(ROOT / "graphs" / source)
    keys = [f.key for f in find(g)]
    assert keys
    for key in keys:
        assert check_key(key) == key
        for node, types in key_nodes(key):
            assert g.nodes[node]["type"] in types, (key, node)
