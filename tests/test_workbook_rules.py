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

