"""Rules of the workbook contract (docs/workbook.md, docs/findings.md) a reviewer found
unkept, held through the real CLI and the real HTTP app: a circle of parents is refused
wherever a graph comes from; a follow-up's key names a kind polku knows, in that kind's
shape, and a node the graph holds (else a warning on its row); a path-broken key is the
two steps in step order, one finding per pair; a sheet saved as ``.CSV`` is named."""

from __future__ import annotations

import json
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
