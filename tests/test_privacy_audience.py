"""Privacy decided once, by audience (issue 16, ``docs/workbook.md`` → Privacy): a reader
without an editor's credential, and every file meant for others, gets no small cell — not as
such, and not by the difference of a total and what is listed.

A segment of 3 people and a referral of 4 clients a month are planted in a served workbook
(by an editor, through the API, so the change log holds them too). Every route of the app's
OpenAPI schema (the API and the pages) and every export format is then called as the public
twice: once in that world and once in one where the same cells hold 1 and 2. Whatever
leaves must be the same in both (else a small cell shows, directly or by difference), and no
people figure in a JSON answer may read 1–4. An editor reads the true figures.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers import MINI, copy_mini, edit, run
from polku.app import create_app
from polku.io import formats
from polku.server.auth import Tokens

TOKEN = "editor-token-0123456789"
EDITOR = {"Authorization": f"Bearer {TOKEN}"}
NAME = "mini"
#: the planted cells: (segment size, referral volume) in the world under test and its twin
WORLDS = {"small": (3, 4), "twin": (1, 2)}
PEOPLE = ("size", "volume_per_month", "inflow", "outflow", "people_in_segments",
          "referral_volume_per_month")

#: every GET route of the schema -> the queries it is called with (a new route must be
#: added here: the test fails on a route it does not know)
QUERIES: dict[str, list[dict[str, Any]]] = {
    "/api/graphs": [{}],
    "/api/graphs/{name}": [{}],
    "/api/graphs/{name}/findings": [{}, {"lang": "en"}],
    "/api/graphs/{name}/actions": [{}, {"format": "json"}, {"format": "xlsx"}],
    "/api/graphs/{name}/suggestions": [{}],
    "/api/graphs/{name}/bottlenecks": [{}],
    "/api/graphs/{name}/paths": [{"segment": "nuoret"}, {"segment": "nuoret", "to": "tyo"}],
    "/api/graphs/{name}/whatif": [{"remove": "r1"}, {"remove": "alkuhaastattelu"},
                                  {"capacity": "kuntouttava=10"},
                                  {"demand": "alkuhaastattelu=+50%"},
                                  {"places": "kuntouttava=2", "demand": "kuntouttava=-10%"},
                                  {"capacity": "kuntouttava=10", "calibrate": "false"}],
    "/api/graphs/{name}/blueprint": [{"subject": "p1"}, {"subject": "nuoret"}],
    "/api/graphs/{name}/plan": [{}],
    "/api/graphs/{name}/export": [{"format": f.name} for f in formats.FORMATS.values()
                                  if f.text],
    "/api/graphs/{name}/rows/{sheet}": [{}],
    "/api/graphs/{name}/rows/{sheet}/{key}": [{}],
    "/api/graphs/{name}/changes": [{}],
    "/api/graphs/{name}/review": [{"since": "0"}, {"since": "1", "lang": "en"},
                                  {"since": "0", "actor": "kela"}],
    "/api/compare": [{}],
    "/healthz": [{}],
    "/readyz": [{}, {"lang": "en"}],
    "/auth/me": [{}, {"lang": "sv"}],  # whom the request speaks for: no figure at all
    "/compare": [{}, {"lang": "en"}],
    "/": [{}],
    "/graphs/{name}": [{}, {"lang": "en"}],
    "/graphs/{name}/view": [{"view": v} for v in ("ecosystem", "segment:nuoret", "path:p1",
                                                  "responsibility", "blueprint:p1",
                                                  "blueprint:nuoret")]
                           + [{"view": "ecosystem", "focus": "r1"}],
    "/graphs/{name}/table": [{"view": v} for v in ("ecosystem", "segment:nuoret", "path:p1")],
    "/graphs/{name}/paths": [{"segment": "nuoret"}],
    "/graphs/{name}/whatif": [{"segment": "nuoret"},
                              {"segment": "nuoret", "service": "kuntouttava", "capacity": "10"},
                              {"segment": "nuoret", "service": "alkuhaastattelu",
                               "demand": "+50%"},
                              {"segment": "nuoret", "service": ["kuntouttava", "alkuhaastattelu"],
                               "capacity": ["10", ""], "demand": ["", "+50%"]},
                              {"segment": "nuoret", "service": "kuntouttava", "capacity": "10",
                               "calibrate": "false"}],
    "/graphs/{name}/bottlenecks": [{}],
    "/graphs/{name}/raci": [{}],
    "/graphs/{name}/changes": [{}, {"since": "0"}, {"since": "1", "lang": "en"}],
    "/graphs/{name}/report": [{}],
    "/graphs/{name}/ptv": [{}],
}
ROWS = {"segments": ["nuoret"], "referrals": ["r1", "r2"]}


def world(tmp: Path, size: int, volume: int) -> TestClient:
    """The mini workbook served, with ``size`` and ``volume`` planted by an editor."""
    copy_mini(tmp / NAME)
    copy_mini(tmp / "other")  # a second region, for the regions side by side
    client = TestClient(create_app([tmp / NAME, tmp / "other"], Tokens({"editor": TOKEN}),
                                   tmp / "changes"), raise_server_exceptions=False)
    for sheet, key, column, value in (("segments", "nuoret", "size", size),
                                      ("referrals", "r1", "volume_per_month", volume),
                                      ("referrals", "r2", "volume_per_month", 9)):
        etag = client.get(f"/api/graphs/{NAME}", headers=EDITOR).headers["etag"]
        r = client.patch(f"/api/graphs/{NAME}/rows/{sheet}/{key}", json={column: str(value)},
                         headers={**EDITOR, "If-Match": etag})
        assert r.status_code == 200, r.text
    return client


@pytest.fixture(scope="module")
def clients(tmp_path_factory) -> dict[str, TestClient]:
    return {w: world(tmp_path_factory.mktemp(w), *cells) for w, cells in WORLDS.items()}


def calls(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    from polku.io.workbook import SHEETS

    out = []
    for template, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        assert template in QUERIES, f"a route the privacy test does not call: {template}"
        if template.endswith("{key}"):
            paths = [f"/api/graphs/{NAME}/rows/{s}/{k}" for s, keys in ROWS.items() for k in keys]
        elif "{sheet}" in template:
            paths = [template.format(name=NAME, sheet=s) for s in SHEETS]
        else:
            paths = [template.format(name=NAME)]
        out += [(p, q) for p in paths for q in QUERIES[template]]
    return out


def said(r: Any) -> str:
    """What an answer says: its text, or a workbook's cells (an .xlsx's bytes also hold the
    second it was zipped, which differs between two requests that say the same)."""
    if not r.content.startswith(b"PK\x03\x04"):
        return r.text
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(r.content), read_only=True)
    return "\n".join(f"{ws.title}: {row}" for ws in book.worksheets
                     for row in ws.iter_rows(values_only=True))


def normal(text: str) -> str:
    """What may differ between the worlds without saying anything about the cells: ETags,
    times."""
    text = re.sub(r"[0-9a-f]{16,64}", "HASH", text)
    # the change log's times as people read them (3.12.2026 klo 12.47): the two worlds are
    # built a moment apart, perhaps across a minute
    text = re.sub(r"\d{1,2}\.\d{1,2}\.\d{4} (?:klo|kl\.) \d{1,2}\.\d\d", "TIME", text)
    text = re.sub(r"\b[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d:\d\d\s?[AP]M", "TIME", text)
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "TIME", text)


def small_figures(value: Any, key: str = "") -> list[str]:
    """Every people figure of a JSON answer that reads 1–4."""
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in small_figures(v, k)]
    if isinstance(value, list):
        return [x for v in value for x in small_figures(v, key)]
    if key in PEOPLE and not isinstance(value, bool):
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            return []
        return [f"{key}={value}"] if 0 < number < 5 else []
    return []


def test_every_route_answers_the_public_without_small_cells(clients) -> None:
    small, twin = clients["small"], clients["twin"]
    routes = calls(small.get("/openapi.json").json())
    assert len(routes) > 40
    for path, query in routes:
        a, b = small.get(path, params=query), twin.get(path, params=query)
        assert a.status_code == b.status_code == 200, (path, query, a.text[:300])
        assert normal(said(a)) == normal(said(b)), f"{path} {query}: the public answer " \
                                                 "depends on a small cell"
        if a.headers["content-type"].startswith("application/json"):
            assert small_figures(a.json()) == [], (path, query)


#: every route of the schema that is not a GET -> (its path, the body the public sends, the
#: status the public gets): the one that reads (the PTV comparison) and every write
OTHER_CALLS: dict[tuple[str, str], tuple[str, dict[str, Any], int]] = {
    ("post", "/api/graphs/{name}/ptv/compare"):
        (f"/api/graphs/{NAME}/ptv/compare", {"files": "PTV"}, 200),
    ("post", "/api/graphs/{name}/ptv/apply"):
        (f"/api/graphs/{NAME}/ptv/apply", {"files": "PTV"}, 401),
    ("post", "/api/graphs/{name}/rows/{sheet}"):
        (f"/api/graphs/{NAME}/rows/segments", {"id": "uusi", "size": "2"}, 401),
    ("patch", "/api/graphs/{name}/rows/{sheet}/{key}"):
        (f"/api/graphs/{NAME}/rows/segments/nuoret", {"size": "2"}, 401),
    ("delete", "/api/graphs/{name}/rows/{sheet}/{key}"):
        (f"/api/graphs/{NAME}/rows/referrals/r1", {}, 401),
    ("post", "/api/graphs/{name}/undo"): (f"/api/graphs/{NAME}/undo", {}, 401),
}


def test_every_other_route_answers_the_public_without_small_cells(clients) -> None:
    """The routes that are not GETs, as the public calls them: the PTV comparison (a read
    with a body: the region's PTV files) says the same in both worlds; every write is
    refused, saying nothing that differs between them."""
    from test_ptv_compare import CATALOGUE

    ptv = [{"name": f.name, "text": f.read_text(encoding="utf-8")} for f in CATALOGUE]
    small, twin = clients["small"], clients["twin"]
    schema = small.get("/openapi.json").json()
    routes = {(method, template) for template, operations in schema["paths"].items()
              for method in operations if method != "get"}
    assert routes == set(OTHER_CALLS), "a route the privacy test does not call: " \
        f"{sorted(routes ^ set(OTHER_CALLS))}"
    for (method, _), (path, body, status) in sorted(OTHER_CALLS.items()):
        body = {k: ptv if v == "PTV" else v for k, v in body.items()}
        a, b = (c.request(method, path, json=body, headers={"If-Match": "*"})
                for c in (small, twin))
        assert a.status_code == b.status_code == status, (method, path, a.text[:300])
        assert normal(said(a)) == normal(said(b)), f"{method} {path}: the public answer " \
                                                 "depends on a small cell"
        assert small_figures(a.json()) == [], (method, path)
    # and nothing was written: the small cell is the editor's still
    row = small.get(f"/api/graphs/{NAME}/rows/segments/nuoret", headers=EDITOR).json()
    assert row["values"]["size"] == "3"


def test_totals_are_the_sums_of_what_is_shown(clients) -> None:
    info = clients["small"].get(f"/api/graphs/{NAME}").json()
    shown = [s["size"] for s in info["segments"]]
    assert shown == ["<5"]
    assert info["people_in_segments"] == sum(s for s in shown if isinstance(s, int))
    rows = clients["small"].get(f"/api/graphs/{NAME}/rows/referrals").json()["rows"]
    volumes = [r["values"]["volume_per_month"] for r in rows]
    assert sorted(volumes) == ["9", "<5"]
    assert info["referral_volume_per_month"] == 9


def test_writes_are_refused_to_the_public(clients) -> None:
    small = clients["small"]
    r = small.patch(f"/api/graphs/{NAME}/rows/segments/nuoret", json={"size": "7"},
                    headers={"If-Match": "x"})
    assert r.status_code == 401 and "size" not in r.text


def test_an_editor_reads_the_true_figures(clients) -> None:
    small = clients["small"]
    row = small.get(f"/api/graphs/{NAME}/rows/segments/nuoret", headers=EDITOR).json()
    assert row["values"]["size"] == "3"
    info = small.get(f"/api/graphs/{NAME}", headers=EDITOR).json()
    assert info["people_in_segments"] == 3 and info["referral_volume_per_month"] == 13
    changes = small.get(f"/api/graphs/{NAME}/changes", headers=EDITOR).json()["changes"]
    assert {c["after"].get("volume_per_month") for c in changes} >= {"4"}
    flows = small.get(f"/api/graphs/{NAME}/bottlenecks", headers=EDITOR).json()["by_flow"]
    assert {r["service"]: r["inflow"] for r in flows}["kuntouttava"] == 4
    public = small.get(f"/api/graphs/{NAME}/bottlenecks").json()["by_flow"]
    assert {r["service"]: r["inflow"] for r in public}["kuntouttava"] is None
    assert small.get(f"/api/graphs/{NAME}/rows/segments/nuoret",
                     headers={"Authorization": "Bearer wrong-token-0123456"}
                     ).json()["values"]["size"] == "<5"


#: a broken source's people cells: what each world's files hold while the last good version
#: is served (not a number, so no suppression by value can catch them)
BROKEN = {"small": ("3 hlö", "4 kk"), "twin": ("1 hlö", "2 kk")}


@pytest.fixture
def broken(tmp_path) -> dict[str, TestClient]:
    """Each world served, then its size and volume cells made text that is no number."""
    import os
    import time

    out = {}
    for w, cells in WORLDS.items():
        client = world(tmp_path / w, *cells)
        for sheet, old, new in (("segments", f",{cells[0]},", f",{BROKEN[w][0]},"),
                                ("referrals", f",{cells[1]},", f",{BROKEN[w][1]},")):
            path = tmp_path / w / NAME / f"{sheet}.csv"
            text = path.read_text(encoding="utf-8")
            assert old in text, (sheet, text)
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
            later = time.time() + 5  # seen as changed within the same clock tick too
            os.utime(path, (later, later))
        out[w] = client
    return out


def test_a_broken_sources_people_cells_reach_the_public_in_no_channel(broken) -> None:
    small, twin = broken["small"], broken["twin"]
    # the public learns where the source is broken and what is wrong, not the cell's text,
    # in each language (Finnish, the API's default; Swedish by Accept-Language; English)
    for headers, where, what in (({}, "sarake 'size'", "ei ole luku"),
                                 ({"Accept-Language": "sv"}, "kolumn 'size'", "är inte ett tal"),
                                 ({"Accept-Language": "en"}, "column 'size'", "is not a number")):
        listed = small.get("/api/graphs", headers=headers).json()
        mine = next(g for g in listed if g["name"] == NAME)
        assert mine["state"] == "stale" and where in mine["problem"]
        assert what in mine["problem"] and "hlö" not in mine["problem"]
        stale = small.get(f"/api/graphs/{NAME}", headers=headers).headers["x-polku-stale"]
        assert not re.search(r"hlö|hl%C3%B6", stale) and "size" in stale
    row = small.get(f"/api/graphs/{NAME}/rows/segments/nuoret").json()["values"]
    assert row["size"] == "<5"
    for path, query in calls(small.get("/openapi.json").json()):
        a, b = small.get(path, params=query), twin.get(path, params=query)
        assert a.status_code == b.status_code == 200, (path, query, a.text[:300])
        for text in (a.text, a.headers.get("x-polku-stale", "")):
            assert not re.search(r"hlö|hl%C3%B6|\d(%20| )kk", text), (path, query)
        assert normal(said(a)) == normal(said(b)), f"{path} {query}: the public answer " \
                                                 "depends on a broken cell's text"
        assert a.headers.get("x-polku-stale") == b.headers.get("x-polku-stale"), path
    # the rows are the last good version's, as every other answer of the graph (and its
    # ETag): the editor reads its true cell, not the broken file's text
    row = small.get(f"/api/graphs/{NAME}/rows/segments/nuoret", headers=EDITOR).json()
    assert row["values"]["size"] == "3"


def test_the_public_change_log_says_what_changed_and_when_not_by_whom(clients) -> None:
    small = clients["small"]
    public = small.get(f"/api/graphs/{NAME}/changes").json()["changes"]
    assert public and all(set(c) >= {"version", "time", "action", "sheet", "key"}
                          for c in public)
    assert all("who" not in c and "sub" not in c and "organisations" not in c
               for c in public)
    page = small.get(f"/graphs/{NAME}/changes", params={"lang": "en"}).text
    assert ">editor<" not in page and ">who<" not in page
    editor = small.get(f"/api/graphs/{NAME}/changes", headers=EDITOR).json()["changes"]
    assert {c["who"] for c in editor} == {"editor"}
    assert ">editor<" in small.get(f"/graphs/{NAME}/changes", params={"lang": "en"},
                                   headers=EDITOR).text


# -- files meant for others ---------------------------------------------------------------------

def read_output(path: Path) -> str:
    if path.is_dir():
        return "\n".join(f"{p.name}\n{read_output(p)}" for p in sorted(path.iterdir()))
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        return "\n".join(f"{ws.title}: {list(row)}" for ws in book for row in ws.iter_rows(
            values_only=True))
    return path.read_text(encoding="utf-8")


def plant(tmp: Path, size: int, volume: int) -> Path:
    wb = tmp / NAME
    copy_mini(wb)
    for sheet, old, new in (("segments", ",1200,", f",{size},"),
                            ("referrals", "nuoret,12,14", f"nuoret,{volume},14")):
        path = wb / f"{sheet}.csv"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    return wb


#: the CLI's outputs for others, by their default (a shared format, a page, the report, the
#: action list, a diff in every format) or by --suppress (the owner's own formats); every
#: format of the registry is one of them
COMMANDS = [(f"export-{f.name}", lambda wb, out, f=f: [
                "export", wb, "--to", f.name, "-o", out / f"x{f.suffixes[0]}"]
             + ([] if f.shared else ["--suppress"]), lambda out, f=f: out / f"x{f.suffixes[0]}")
            for f in formats.FORMATS.values()] + [
    ("render", lambda wb, out: ["render", wb, "-o", out / "v.html", "--view", "segment:nuoret"],
     lambda out: out / "v.html"),
    ("report", lambda wb, out: ["report", wb, "-o", out / "r.md"], lambda out: out / "r.md"),
    ("report-html", lambda wb, out: ["report", wb, "-o", out / "r.html"],
     lambda out: out / "r.html"),
    ("diff-json", lambda wb, out: ["diff", MINI, wb, "--format", "json", "-o", out / "d.json"],
     lambda out: out / "d.json"),
    ("diff-text", lambda wb, out: ["diff", MINI, wb, "-o", out / "d.txt"],
     lambda out: out / "d.txt"),
    ("diff-json-back", lambda wb, out: ["diff", wb, MINI, "--format", "json", "-o",
                                        out / "d.json"], lambda out: out / "d.json"),
    ("diff-text-stdout", lambda wb, out: ["diff", MINI, wb, "--lang", "en"], None),
    ("actions-csv", lambda wb, out: ["actions", wb, "-o", out / "a.csv"],
     lambda out: out / "a.csv"),
    ("actions-json", lambda wb, out: ["actions", wb, "--format", "json"], None),
    ("actions-xlsx", lambda wb, out: ["actions", wb, "--format", "xlsx", "-o", out / "a.xlsx"],
     lambda out: out / "a.xlsx"),
    ("diff-html", lambda wb, out: ["diff", MINI, wb, "--format", "html", "-o", out / "d.html"],
     lambda out: out / "d.html"),
    # every command that writes a graph file decides by the format as export does
    ("import-jsonld", lambda wb, out: ["import", wb, "-o", out / "x.jsonld"],
     lambda out: out / "x.jsonld"),
    ("import-turtle-suppressed", lambda wb, out: ["import", wb, "-o", out / "x.ttl",
                                                  "--suppress"], lambda out: out / "x.ttl"),
    ("merge-jsonld", lambda wb, out: ["merge", wb, Path(__file__).parents[1] / "graphs" /
                                      "keski-suomi", "-o", out / "m.jsonld"],
     lambda out: out / "m.jsonld"),
    ("eventlog-jsonld", lambda wb, out: ["eventlog", event_log(out / "log.csv", 6), "--graph",
                                         wb, "-o", out / "e.jsonld", "--format", "json"],
     lambda out: out / "e.jsonld"),
]


@pytest.mark.parametrize("name, command, output", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_every_file_for_others_leaves_small_cells_out(tmp_path: Path, name, command,
                                                      output) -> None:
    texts = []
    for w, cells in WORLDS.items():
        wb = plant(tmp_path / w, *cells)
        out = tmp_path / w / "out"
        out.mkdir()
        r = run(*command(wb, out))
        assert r.exit_code == 0, r.output
        # an output of None: what the command prints is the file (stdout)
        text = read_output(output(out)) if output is not None else r.stdout
        texts.append(normal(text).replace(str(tmp_path / w), "TMP"))
    assert texts[0] == texts[1], f"{name}: the file depends on a small cell"
    if name in ("diff-json", "diff-json-back", "export-jsonld", "actions-json",
                "import-jsonld", "merge-jsonld", "eventlog-jsonld"):
        assert small_figures(json.loads(texts[0])) == []


def test_the_action_list_is_for_others_and_leaves_small_cells_out(tmp_path: Path) -> None:
    """A referral of 4 clients a month into a service of capacity 3 fires over-capacity for
    the editor ("4 clients a month, capacity 3"); 2 a month fires nothing. The action list,
    a file to take away, says neither: not the figure, and not by a row that comes and goes."""
    texts, raw = [], []
    for w, cells in WORLDS.items():
        wb = plant(tmp_path / w, *cells)
        edit(wb / "services.csv", "kela,20,", "kela,3,")
        r = run("actions", wb, "--format", "json", "--lang", "en")
        assert r.exit_code == 0, r.output
        texts.append(r.stdout)
        raw.append(run("actions", wb, "--format", "json", "--lang", "en",
                       "--no-suppress").stdout)
    assert texts[0] == texts[1], "the action list depends on a small cell"
    assert "over-capacity:kuntouttava" not in texts[0]
    assert "over-capacity:kuntouttava" in raw[0] and "over-capacity:kuntouttava" not in raw[1]
    # the same list as the API gives a reader without a token
    client = TestClient(create_app([tmp_path / "small" / NAME]), raise_server_exceptions=False)
    api = client.get(f"/api/graphs/{NAME}/actions", params={"format": "json", "lang": "en"})
    assert api.status_code == 200 and api.json() == json.loads(texts[0])


def test_a_diff_is_for_others_in_every_format(tmp_path: Path) -> None:
    """Both sides of a change read <5 where a cell is small; a change from one small cell to
    another (3 → 1 people) is not listed, since <5 → <5 says nothing; --no-suppress gives
    the editor the true figures."""
    small = plant(tmp_path / "small", *WORLDS["small"])
    twin = plant(tmp_path / "twin", *WORLDS["twin"])
    doc = json.loads(run("diff", MINI, small, "--format", "json").stdout)
    fields = {c["id"]: c["fields"] for c in doc["changed"]}
    assert fields["nuoret"] == {"size": ["1200", "<5"]}
    assert fields["r1"] == {"volume_per_month": ["12", "<5"]}
    back = json.loads(run("diff", small, MINI, "--format", "json").stdout)
    assert {c["id"]: c["fields"] for c in back["changed"]}["nuoret"] == {"size": ["<5", "1200"]}
    between = json.loads(run("diff", small, twin, "--format", "json").stdout)
    assert between["changed"] == []
    text = run("diff", MINI, small, "--lang", "en").stdout
    assert "Size (people): 1,200 → <5" in text and "→ 3" not in text
    editor = json.loads(run("diff", small, twin, "--format", "json", "--no-suppress").stdout)
    assert {c["id"]: c["fields"] for c in editor["changed"]} == {
        "nuoret": {"size": ["3", "1"]}, "r1": {"volume_per_month": ["4", "2"]}}


# -- the queueing what-if: hidden is not unknown, and no verdict to bisect --------------------

#: capacities of kuntouttava on both sides of its visible inflow (10) and of its true one
#: (14: the visible 10 and the hidden 4), with and without more demand
CAPACITIES = ("8", "11", "12", "13", "15", "30")


@pytest.fixture(scope="module")
def straddled(tmp_path_factory) -> dict[str, Any]:
    """The mini workbook with a second referral into kuntouttava, 10 a month and shown,
    beside r1's hidden 4; served with no token (the public)."""
    tmp = tmp_path_factory.mktemp("straddled")
    wb = copy_mini(tmp / NAME)
    edit(wb / "referrals.csv", "nuoret,12,14", "nuoret,4,14")
    with (wb / "referrals.csv").open("a", encoding="utf-8") as f:
        f.write("r3,alkuhaastattelu,kuntouttava,,10,20,keusote,yes\n")
    return {"wb": wb, "client": TestClient(create_app([wb]), raise_server_exceptions=False)}


def without_capacity(value: Any) -> Any:
    """An answer with the capacity asked for taken out (it is what the reader chose)."""
    if isinstance(value, dict):
        return {k: without_capacity(v) for k, v in value.items()
                if k not in ("capacity", "changes")}
    if isinstance(value, list):
        return [without_capacity(v) for v in value]
    return value


@pytest.mark.parametrize("demand", ["", "+50%"])
def test_the_public_what_if_says_hidden_and_gives_no_verdict_to_bisect(straddled,
                                                                       demand) -> None:
    """kuntouttava takes 10 clients a month that the public sees and 4 it does not. At
    every capacity the public asks for, the answer is the same but for that capacity: no
    wait, utilisation, observed wait, effective capacity, "grows without bound" nor
    over-capacity created or resolved, from which the inflow could be found by trying
    capacities; and the service says its figures are hidden, not unknown."""
    client = straddled["client"]
    answers, pages = [], []
    for cap in CAPACITIES:
        query = {"capacity": f"kuntouttava={cap}"}
        if demand:
            query["demand"] = f"alkuhaastattelu={demand}"
        r = client.get(f"/api/graphs/{NAME}/whatif", params=query)
        assert r.status_code == 200, r.text
        doc = r.json()
        s = doc["services"]["kuntouttava"]
        assert s["hidden"] is True and s["calibration"] is None
        assert s["observed_wait_days"] is None
        for side in ("before", "after"):
            assert {k: s[side][k] for k in ("inflow", "modelled_utilization", "wait_days",
                                            "unstable", "effective_capacity")} == dict.fromkeys(
                ("inflow", "modelled_utilization", "wait_days", "unstable",
                 "effective_capacity"))
        assert s["after"]["capacity"] == float(cap)
        assert not [f for k in ("created", "resolved") for f in doc["findings"][k]
                    if f["subject"] == "kuntouttava"], cap
        answers.append(without_capacity(doc))
        page = client.get(f"/graphs/{NAME}/whatif", params={
            "segment": "nuoret", "service": ["kuntouttava"] + (["alkuhaastattelu"] if demand
                                                              else []),
            "capacity": [cap] + ([""] if demand else []),
            "demand": [""] + ([demand] if demand else []), "lang": "fi"})
        assert page.status_code == 200, page.text
        row = page.text.split('data-service="kuntouttava"', 1)[1].split("</tr>", 1)[0]
        cells = re.findall(r"<td>(.*?)</td>", row)
        # the inflow: at least its published part (10 of the true 14), as the bottleneck
        # ranking says it; everything the model computes from it: hidden
        assert cells[0].startswith('<span class="hidden-figure">vähintään 10'), cells
        assert cells.count('<span class="hidden-figure">piilotettu</span>') == 7, cells
        assert "kasvaa rajatta" not in row and "–" not in row
        assert "alle 5 asiakasta kuukaudessa" in page.text
        pages.append([c for i, c in enumerate(cells) if i != 1])
    assert all(a == answers[0] for a in answers), "the answer depends on the capacity"
    assert all(p == pages[0] for p in pages)
    # the editor reads the true figures: 14 a month, a queue that grows at 13
    editor = run("whatif", straddled["wb"], "--capacity", "kuntouttava=13", "--format", "json")
    s = json.loads(editor.stdout)["services"]["kuntouttava"]
    assert s["hidden"] is False and s["before"]["inflow"] == 14 and s["after"]["unstable"]


def test_the_what_if_text_says_hidden_in_each_language(straddled) -> None:
    for lang, said_hidden in (("fi", "luvut piilotettu"), ("sv", "talen dolda"),
                              ("en", "figures hidden")):
        r = run("whatif", straddled["wb"], "--capacity", "kuntouttava=13", "--suppress",
                "--lang", lang)
        assert r.exit_code == 0, r.output
        block = re.split(r"\n  (?! )", r.stdout.split("(kuntouttava)", 1)[1])[0]
        assert said_hidden in block and "5" in block, block
        assert "14" not in block and "13 → 13" not in block


def equal_waits(tmp: Path, hidden: int) -> Path:
    """The mini workbook with a second, shown referral into kuntouttava (10 a month) that
    waits as long as r1 (14 days), whose volume is ``hidden`` (a small cell)."""
    wb = copy_mini(tmp / NAME)
    edit(wb / "referrals.csv", "nuoret,12,14", f"nuoret,{hidden},14")
    with (wb / "referrals.csv").open("a", encoding="utf-8") as f:
        f.write("r3,alkuhaastattelu,kuntouttava,,10,14,keusote,yes\n")
    return wb


def test_the_public_what_if_shows_a_published_observed_wait_and_hides_the_model(
        tmp_path) -> None:
    """The README's own example hid everything, the observed wait too, though the findings
    publish it. When the referrals into a hidden service wait equally long, its observed
    wait is their published wait whatever the hidden volume (4 or 2: the same answer), so it
    is shown; the model's figures computed from the inflow stay hidden, and the page says
    which is which and why."""
    answers, rows = [], []
    for world, hidden in (("small", 4), ("twin", 2)):
        client = TestClient(create_app([equal_waits(tmp_path / world, hidden)]),
                            raise_server_exceptions=False)
        doc = client.get(f"/api/graphs/{NAME}/whatif",
                         params={"capacity": "kuntouttava=13"}).json()
        s = doc["services"]["kuntouttava"]
        assert s["hidden"] is True and s["observed_wait_days"] == 14
        assert s["observed_hidden"] is False and s["calibration"] is None
        for side in ("before", "after"):
            assert [s[side][k] for k in ("inflow", "modelled_utilization", "wait_days",
                                         "unstable", "effective_capacity")] == [None] * 5
        assert (s["before"]["capacity"], s["after"]["capacity"]) == (20, 13)
        answers.append(doc)
        page = client.get(f"/graphs/{NAME}/whatif", params={
            "segment": "nuoret", "service": "kuntouttava", "capacity": "13", "lang": "fi"})
        assert page.status_code == 200, page.text
        row = page.text.split('data-service="kuntouttava"', 1)[1].split("</tr>", 1)[0]
        cells = re.findall(r"<td>(.*?)</td>", row)
        # effective capacity, two utilisations, two waits, lead time: hidden; the inflow
        # at least its published part, the same in both worlds
        assert cells[0] == '<span class="hidden-figure">vähintään 10</span>', cells
        assert cells.count('<span class="hidden-figure">piilotettu</span>') == 6, cells
        assert cells[4] == "14", cells   # the observed wait
        assert "20 → 13" in cells[1]
        note = page.text.split('id="hidden-note"', 1)[1].split("</div>", 1)[0]
        assert "alle 5 asiakasta kuukaudessa" in note and "mallin" in note.casefold()
        assert "havaittu odotusaika näytetään" in note.casefold(), note
        rows.append(row)
    assert answers[0] == answers[1] and rows[0] == rows[1]
    text = run("whatif", equal_waits(tmp_path / "cli", 4), "--capacity", "kuntouttava=13",
               "--suppress", "--lang", "fi").stdout
    block = text.split("(kuntouttava)", 1)[1]
    assert "luvut piilotettu" in block and "havaittu odotusaika 14" in block, block
    assert "asiakkaita kuukaudessa: vähintään 10" in block, block
    assert "14 → " not in block


def test_the_public_what_if_hides_an_observed_wait_that_a_hidden_volume_weighs_in(
        straddled) -> None:
    """r1 (hidden 4, 14 days) and r3 (10, 20 days) into kuntouttava: their weighted wait
    would give the 4 back, so it is hidden, and the page says why."""
    client = straddled["client"]
    s = client.get(f"/api/graphs/{NAME}/whatif",
                   params={"capacity": "kuntouttava=13"}).json()["services"]["kuntouttava"]
    assert s["observed_wait_days"] is None and s["observed_hidden"] is True
    page = client.get(f"/graphs/{NAME}/whatif", params={
        "segment": "nuoret", "service": "kuntouttava", "capacity": "13", "lang": "fi"}).text
    note = page.split('id="hidden-note"', 1)[1].split("</div>", 1)[0]
    assert "havaittu odotusaika piilotetaan" in note.casefold(), note


def test_the_public_ranking_puts_hidden_services_last_and_says_what_the_marks_mean(
        straddled) -> None:
    """kuntouttava's flow (10 shown + 4 hidden against 20) would rank it first by
    utilisation; for the public its figures are hidden, so it is ranked after every service
    whose figures are shown, in an order that does not depend on them, its inflow and
    utilisation read at least their published part, and the page and the report say what
    "–" and "at least" mean."""
    client = straddled["client"]
    flows = client.get(f"/api/graphs/{NAME}/bottlenecks").json()["by_flow"]
    assert [(r["service"], r["hidden"]) for r in flows] == [("alkuhaastattelu", False),
                                                            ("kuntouttava", True)]
    assert flows[1]["inflow"] is None and flows[1]["utilization"] is None
    editor = run("bottlenecks", straddled["wb"], "--format", "json")
    assert [r["service"] for r in json.loads(editor.stdout)["by_flow"]] == [
        "kuntouttava", "alkuhaastattelu"]
    page = client.get(f"/graphs/{NAME}/bottlenecks", params={"lang": "fi"}).text
    by_flow = page.split("<caption>", 2)[2]
    assert by_flow.index("Alkuhaastattelu") < by_flow.index("Kuntouttava työtoiminta")
    # its totals read at least their published part (10 of 20: 0,50), never the whole
    assert '<span class="hidden-figure">vähintään 10</span>' in by_flow
    assert '<span class="hidden-figure">vähintään 0,50</span>' in by_flow
    assert "–: lukua ei ole" in page and "alle 5 asiakasta kuukaudessa" in page
    report = client.get(f"/graphs/{NAME}/report", params={"lang": "fi"}).text
    assert "–: lukua ei ole" in report and "alle 5 asiakasta kuukaudessa" in report
    flow_table = report.split('id="bottlenecks"', 1)[1].split('id="responsibility"', 1)[0]
    flow_table = flow_table.split("<table>", 2)[2]
    assert flow_table.index("Alkuhaastattelu") < flow_table.index("Kuntouttava työtoiminta")
    md = run("report", straddled["wb"], "-o", straddled["wb"].parent / "r.md")
    assert md.exit_code == 0, md.output
    text = (straddled["wb"].parent / "r.md").read_text(encoding="utf-8")
    assert "| Kuntouttava työtoiminta (`kuntouttava`) | vähintään 0,50 | vähintään 10 | 20 |" \
        in text
    assert "alle 5 asiakasta kuukaudessa" in text


# -- a review since a version: the report's "changes since the last review" ----------------------

def test_a_reports_review_since_a_version_leaves_small_cells_out(tmp_path: Path) -> None:
    """kuntouttava's capacity goes from 20 to 3 (an editor's change, in the change log) while
    r1 brings it 4 clients a month, or 2 in the twin world. For the editor the change creates
    over-capacity ("takes in 4 clients a month against a capacity of 3"); the report goes to
    other people, and its "changes since the last review" are those of the published
    figures, as every other section's: the same in both worlds, no finding that only the
    small cell fires, and no figure of it."""
    texts = []
    for w, cells in WORLDS.items():
        wb = plant(tmp_path / w, *cells)
        client = TestClient(create_app([wb], Tokens({"editor": TOKEN}), tmp_path / w / "log"),
                            raise_server_exceptions=False)
        etag = client.get(f"/api/graphs/{NAME}", headers=EDITOR).headers["etag"]
        r = client.patch(f"/api/graphs/{NAME}/rows/services/kuntouttava",
                         json={"capacity_per_month": "3"}, headers={**EDITOR, "If-Match": etag})
        assert r.status_code == 200, r.text
        log = tmp_path / w / "log" / f"{NAME}.changes.jsonl"
        out = tmp_path / w / "r.md"
        report = run("report", wb, "-o", out, "--since", "0", "--changes", log, "--lang", "en",
                     "-q")
        assert report.exit_code == 0, report.output
        texts.append(normal(out.read_text(encoding="utf-8")))
        if w == "small":
            own = run("report", wb, "-o", tmp_path / w / "own.md", "--since", "0", "--changes",
                      log, "--lang", "en", "-q", "--no-suppress")
            assert own.exit_code == 0, own.output
            assert "takes in 4 clients a month against a capacity of 3" in (
                tmp_path / w / "own.md").read_text(encoding="utf-8")
    assert "Created (0)" in texts[0] and "4 clients a month" not in texts[0]
    assert texts[0] == texts[1], "the review since a version depends on a small cell"


# -- the what-if calibrated by an event log ------------------------------------------------------

def event_log(path: Path, clients: int) -> Path:
    """A log of ``clients`` clients, each handed from alkuhaastattelu to kuntouttava (r1)."""
    lines = ["case,service,start,end,segment"]
    for i in range(1, clients + 1):
        lines += [f"c{i},alkuhaastattelu,2026-01-0{i}T08:00:00,2026-01-0{i}T09:00:00,nuoret",
                  f"c{i},kuntouttava,2026-01-1{i}T08:00:00,,nuoret"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("format", ["json", "text"])
def test_the_public_what_if_from_an_event_log_counts_no_clients(tmp_path: Path,
                                                                format: str) -> None:
    """Three clients (or one) in the log: r1's volume from it, 3 a month, is hidden, and so
    are the log's counts of clients, events and hand-offs, which say it again (hand-offs over
    months are the volume; with more referrals, their total less the volumes shown is the
    hidden ones'). The editor reads them."""
    texts = []
    for clients in (3, 1):
        log = event_log(tmp_path / f"log{clients}.csv", clients)
        r = run("whatif", MINI, "--capacity", "kuntouttava=10", "--eventlog", log,
                "--suppress", "--lang", "en", *(["--format", "json"] if format == "json" else []))
        assert r.exit_code == 0, r.output
        texts.append(r.stdout)
    assert texts[0] == texts[1], "the public what-if depends on the log's small counts"
    if format == "json":
        log = json.loads(texts[0])["observed"]["log"]
        assert {k: log[k] for k in ("events", "cases", "handoffs")} == dict.fromkeys(
            ("events", "cases", "handoffs")) and log["months"] == 1
    else:
        assert "over 1 month from 1 Jan 2026; how many clients, events and hand-offs " \
            "it holds is left out" in texts[0] and " events over" not in texts[0]
    editor = run("whatif", MINI, "--capacity", "kuntouttava=10", "--eventlog",
                 tmp_path / "log3.csv", "--format", "json")
    assert json.loads(editor.stdout)["observed"]["log"]["cases"] == 3


def test_a_graph_from_an_event_log_for_others_says_no_clients_own_wait(tmp_path: Path) -> None:
    """One client handed from alkuhaastattelu to kuntouttava: the graph `polku eventlog`
    writes for others left r1's volume out (1 a month) but kept its median wait, 12.27
    days: the median of one hand-off is that client's own wait, to the hour. A wait the log
    measured over fewer hand-offs than a small cell is left out with the volume; the
    owner's copy keeps it."""
    waits = []
    for start in ("2026-01-13T15:30:00", "2026-01-20T08:00:00"):
        log = tmp_path / "one.csv"
        log.write_text("case,service,start,end,segment\n"
                       "c1,alkuhaastattelu,2026-01-01T08:00:00,2026-01-01T09:00:00,nuoret\n"
                       f"c1,kuntouttava,{start},,nuoret\n", encoding="utf-8")
        out = tmp_path / "one.jsonld"
        r = run("eventlog", log, "--graph", MINI, "-o", out, "-q")
        assert r.exit_code == 0, r.output
        waits.append(normal(out.read_text(encoding="utf-8")))
    assert waits[0] == waits[1], "the file for others says the client's wait"
    own = tmp_path / "own.ttl"
    assert run("eventlog", log, "--graph", MINI, "-o", own, "-q").exit_code == 0
    assert 'medianWaitDays "18.96"' in own.read_text(encoding="utf-8")


def test_who_wrote_a_follow_up_reaches_the_public_in_no_channel(tmp_path: Path) -> None:
    """A follow-up's ``by`` is the writer's name, filled in by the server: the public read
    it in the follow-up's row, in the change log's before/after (which hides who made the
    change), beside the findings and on the pages. Now only an editor reads it."""
    client = world(tmp_path, 3, 4)
    etag = client.get(f"/api/graphs/{NAME}", headers=EDITOR).headers["etag"]
    key = "no-lead:kuntouttava"
    r = client.post(f"/api/graphs/{NAME}/rows/followups",
                    json={"finding": key, "status": "työn alla", "note": "Sovitaan"},
                    headers={**EDITOR, "If-Match": etag})
    assert r.status_code == 201, r.text
    public = [client.get(f"/api/graphs/{NAME}/rows/followups/{key}").text,
              client.get(f"/api/graphs/{NAME}/rows/followups").text,
              client.get(f"/api/graphs/{NAME}/changes").text,
              client.get(f"/api/graphs/{NAME}/findings").text,
              client.get(f"/api/graphs/{NAME}/review", params={"since": "0"}).text,
              client.get(f"/graphs/{NAME}", params={"lang": "en"}).text,
              client.get(f"/graphs/{NAME}/changes", params={"lang": "en"}).text,
              client.get(f"/graphs/{NAME}/report", params={"lang": "en"}).text]
    assert all('"by"' not in text and "editor" not in text for text in public), \
        [text[:200] for text in public if '"by"' in text or "editor" in text]
    assert "Sovitaan" in public[0] and "Sovitaan" in public[3]  # the follow-up itself is there
    row = client.get(f"/api/graphs/{NAME}/rows/followups/{key}", headers=EDITOR).json()
    assert row["values"]["by"] == "editor"


def handoff_rows(page: str) -> dict[tuple[str, str], list[str]]:
    """The segment view's hand-off table as (from, to) -> its cells, as read."""
    import html as markup

    out = {}
    for row in re.findall(r"<tr.*?</tr>", page, re.S):
        cells = [" ".join(markup.unescape(re.sub(r"<[^>]+>", " ", c)).split())
                 for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        if len(cells) == 8 and cells[0].startswith("#"):
            out[(cells[1], cells[2])] = cells
    return out


def test_a_views_small_figure_reads_under_five_not_a_question_mark(clients,
                                                                   tmp_path: Path) -> None:
    """A hidden small figure is ``<5`` in every view, as in the rows API and the blueprint:
    ``?`` read as unknown (the segment view's hand-off table, the path view's edge labels,
    the tooltips), and a service's inflow that rests on it is *hidden*. Served to the public,
    and written offline by ``polku render`` (a file for others)."""
    public = clients["small"]
    page = public.get(f"/graphs/{NAME}/view", params={"view": "segment:nuoret", "lang": "en"}).text
    rows = handoff_rows(page)
    assert rows[("Alkuhaastattelu", "Kuntouttava työtoiminta")][4] == "<5"   # r1: 4 a month
    assert rows[("Kuntouttava työtoiminta", "Avoimet työmarkkinat")][4] == "9"
    table = public.get(f"/graphs/{NAME}/table", params={"view": "segment:nuoret",
                                                        "lang": "en"}).text
    assert "Volume: &lt;5 / month" in table and "Size: &lt;5 people" in table
    assert "Inflow: hidden" in table and "Volume: –" not in table
    path = public.get(f"/graphs/{NAME}/view", params={"view": "path:p1", "lang": "en"}).text
    assert "\\u003c5/mo" in path and "?/mo" not in path
    # the editor reads the true figure
    editor = clients["small"].get(f"/graphs/{NAME}/view", headers=EDITOR,
                                  params={"view": "segment:nuoret", "lang": "en"}).text
    assert handoff_rows(editor)[("Alkuhaastattelu", "Kuntouttava työtoiminta")][4] == "4"
    # offline: the mini workbook's r2 carries 3 clients a month
    out = tmp_path / "segment.html"
    r = run("render", MINI, "--view", "segment:nuoret", "-o", out, "--lang", "fi")
    assert r.exit_code == 0, r.output
    rows = handoff_rows(out.read_text(encoding="utf-8"))
    assert rows[("Kuntouttava työtoiminta", "Avoimet työmarkkinat")][4] == "<5", rows
    assert all(cells[4] != "?" for cells in rows.values()), rows


# -- a broken source's other cells (docs/workbook.md -> Privacy) -------------------------------

def break_sheet(path: Path, old: str, new: str) -> None:
    """``old`` made ``new`` in one sheet, seen as changed within the same clock tick too."""
    import os
    import time

    text = path.read_text(encoding="utf-8")
    assert old in text, (path.name, old, text)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))


#: breakages whose text depends on the small cell: a row shifted by one (the size lands in
#: participation_rate, and the share in size, which counts whole people and is said first),
#: a count typed where the wait goes; and the twin's cells for each (a shifted 1 would be a
#: valid share: the source would load, and that it does is the validation's to say, not a
#: cell's text)
OTHER_CELLS = {
    "shifted": ("segments", lambda size, vol: (f',{size},"0,35",', f',"0,35",{size},'),
                "size", (2, 2)),
    "typed-in-wait": ("referrals", lambda size, vol: (f",{vol},14,", f",,{vol} hlö,"),
                      "median_wait_days", WORLDS["twin"]),
}


@pytest.mark.parametrize("case", sorted(OTHER_CELLS))
def test_a_broken_sources_cell_of_any_column_reaches_no_reader_before_the_reader_is_known(
        tmp_path: Path, case: str, caplog) -> None:
    """A shifted row or a count typed in the wrong column makes the source stale with a
    problem about a column that counts no people: the problem as anyone reads it (the
    header, /api/graphs, /readyz, the page's banner, the server's log) says where and what
    is wrong, never the cell (``'...'``), and every public answer is the same whether the
    cell held 3 or 1; the rows are the last good version's."""
    import html as markup
    import logging
    from urllib.parse import unquote

    sheet, change, column, twin_cells = OTHER_CELLS[case]
    clients = {}
    for w, cells in (("small", WORLDS["small"]), ("twin", twin_cells)):
        client = world(tmp_path / w, *cells)
        break_sheet(tmp_path / w / NAME / f"{sheet}.csv", *change(*cells))
        clients[w] = client
    small, twin = clients["small"], clients["twin"]
    with caplog.at_level(logging.WARNING, logger="polku.server"):
        problems = [unquote(small.get(f"/api/graphs/{NAME}").headers["x-polku-stale"]),
                    next(g["problem"] for g in small.get("/api/graphs").json()
                         if g["name"] == NAME),
                    next(g["problem"] for g in small.get("/readyz").json()["graphs"]
                         if g["name"] == NAME),
                    markup.unescape(small.get(f"/graphs/{NAME}", params={"lang": "en"}).text)]
    problems.append(caplog.text)
    for text in problems:
        assert column in text and "'...'" in text, text[:300]
        assert not re.search(r"'3'|'4 hlö'|3 hlö|'0,35'", text), text[:300]
    for path, query in calls(small.get("/openapi.json").json()):
        a, b = small.get(path, params=query), twin.get(path, params=query)
        assert a.status_code == b.status_code == 200, (path, query, a.text[:300])
        assert normal(said(a)) == normal(said(b)), f"{path} {query}: the public answer " \
                                                 "depends on a broken cell's text"
        assert a.headers.get("x-polku-stale") == b.headers.get("x-polku-stale"), path
    # the rows are the last good version's, for the public and the editor alike
    for headers, size in (({}, "<5"), (EDITOR, "3")):
        row = small.get(f"/api/graphs/{NAME}/rows/segments/nuoret", headers=headers).json()
        assert row["values"]["size"] == size  # the rate as the graph says it: 0,35 or 0.35
        assert float(row["values"]["participation_rate"].replace(",", ".")) == 0.35
        wait = small.get(f"/api/graphs/{NAME}/rows/referrals/r1", headers=headers).json()
        assert wait["values"]["median_wait_days"] == "14"


#: a personal identity code typed in a note, and one made a column name
HETU = "131052-308T"


@pytest.mark.parametrize("rows_read_before", [True, False])
def test_a_broken_sources_identity_code_is_printed_back_to_no_reader(
        tmp_path: Path, rows_read_before: bool) -> None:
    """The owner saves a sheet with an identity code in a cell and another with one as a
    column name: the source is refused (stale), and no reader — the editor neither — reads
    the code in any row, header or page: the rows are the last good version's (kept when
    they were read before the break, else as the graph says them)."""
    client = world(tmp_path, 30, 40)
    if rows_read_before:
        assert client.get(f"/api/graphs/{NAME}/rows/segments").status_code == 200
    break_sheet(tmp_path / NAME / "segments.csv", "nuoret,Nuoret,",
                f"nuoret,Asiakas {HETU} kysyi palvelusta,")
    break_sheet(tmp_path / NAME / "needs.csv", "id,name,factor", f"id,name,factor,{HETU}")
    for headers in ({}, EDITOR):
        answers = [client.get(f"/api/graphs/{NAME}/rows/segments/nuoret", headers=headers),
                   client.get(f"/api/graphs/{NAME}/rows/segments", headers=headers),
                   client.get(f"/api/graphs/{NAME}/rows/needs", headers=headers),
                   client.get(f"/api/graphs/{NAME}/rows/needs/tyokyky", headers=headers),
                   client.get(f"/graphs/{NAME}", headers=headers),
                   client.get("/readyz", headers=headers)]
        for r in answers:
            assert r.status_code == 200, r.text[:300]
            assert HETU not in r.text and "131052" not in r.text, (r.url, r.text[:300])
            assert "131052" not in r.headers.get("x-polku-stale", "")
        assert answers[0].headers["x-polku-stale"]  # stale, and said so
        assert answers[0].json()["values"]["name"] == "Nuoret"
        header = answers[2].json()["header"]
        assert "factor" in header and not any("131052" in h for h in header), header


# -- follow-ups of findings the public is not shown --------------------------------------------

#: a follow-up of a finding that the true inflow fires (4 > 3 in the world under test) and
#: the published one cannot (the inflow is hidden), and one of a finding that fires for
#: no one whatever the hidden cells hold (history, the public's to read)
DOUBTED, HISTORY = "over-capacity:kuntouttava", "no-lead:kuntouttava"


def followed_up(tmp: Path, size: int, volume: int) -> TestClient:
    """A world whose kuntouttava takes 3 a month and has follow-ups of both findings."""
    client = world(tmp, size, volume)
    etag = client.get(f"/api/graphs/{NAME}", headers=EDITOR).headers["etag"]
    for sheet, body in (("services", {"capacity_per_month": "3"}),
                        ("followups", {"finding": DOUBTED, "status": "in-progress",
                                       "note": "Lisää paikkoja"}),
                        ("followups", {"finding": HISTORY, "status": "resolved",
                                       "note": "Sovittu"})):
        if sheet == "services":
            r = client.patch(f"/api/graphs/{NAME}/rows/services/kuntouttava", json=body,
                             headers={**EDITOR, "If-Match": etag})
        else:
            r = client.post(f"/api/graphs/{NAME}/rows/followups", json=body,
                            headers={**EDITOR, "If-Match": etag})
        assert r.status_code in (200, 201), r.text
        etag = r.headers["etag"]
    return client


def test_the_public_reads_no_follow_up_of_a_finding_only_the_true_figures_may_fire(
        tmp_path: Path) -> None:
    """The editor follows up over-capacity of a service whose inflow is hidden (the true
    4 a month is over its 3; the public reads no inflow): the public reads that follow-up
    nowhere — not its row, not beside the findings, not its key or rows in the change log,
    not on the pages, the report or an export — while a follow-up of a finding that no
    hidden figure could fire stays the public's history. The editor reads both."""
    client = followed_up(tmp_path, 3, 4)
    editor = client.get(f"/api/graphs/{NAME}/findings", headers=EDITOR).json()
    assert DOUBTED in {f["key"] for f in editor["findings"]}
    assert set(editor["followups"]) == {DOUBTED, HISTORY}
    public = {path: client.get(path, params=query) for path, query in (
        (f"/api/graphs/{NAME}/rows/followups", {}),
        (f"/api/graphs/{NAME}/findings", {}),
        (f"/api/graphs/{NAME}/findings", {"long_wait_days": "1"}),
        (f"/api/graphs/{NAME}/changes", {}),
        (f"/api/graphs/{NAME}/review", {"since": "0"}),
        (f"/api/graphs/{NAME}/actions", {"format": "json"}),
        (f"/api/graphs/{NAME}/export", {"format": "jsonld"}),
        (f"/graphs/{NAME}", {}),
        (f"/graphs/{NAME}/changes", {}),
        (f"/graphs/{NAME}/changes", {"since": "0"}),
        (f"/graphs/{NAME}/report", {}))}
    for path, r in public.items():
        assert r.status_code == 200, (path, r.text[:300])
        assert DOUBTED not in r.text and "Lisää paikkoja" not in r.text, path
    assert client.get(f"/api/graphs/{NAME}/rows/followups/{DOUBTED}").status_code == 404
    assert HISTORY in public[f"/api/graphs/{NAME}/rows/followups"].text
    assert public[f"/api/graphs/{NAME}/findings"].json()["followups"][HISTORY]["status"] \
        == "resolved"
    # the change log says that a follow-up was made, when, and not which
    logged = public[f"/api/graphs/{NAME}/changes"].json()["changes"]
    hidden = [c for c in logged if c["sheet"] == "followups" and c["key"] is None]
    assert len(hidden) == 1 and "after" not in hidden[0] and hidden[0]["action"] == "create"
    assert client.get(f"/api/graphs/{NAME}/rows/followups/{DOUBTED}",
                      headers=EDITOR).json()["values"]["note"] == "Lisää paikkoja"


def test_which_follow_ups_the_public_reads_depends_on_no_small_cell(tmp_path: Path) -> None:
    """The rule is the public's own: in the twin world the true inflow (2) does not fire
    the finding either, and the public reads exactly the same (a rule that showed the
    follow-up of a finding that neither reader sees would show it there, and so tell 2
    from 4)."""
    small = followed_up(tmp_path / "small", 3, 4)
    twin = followed_up(tmp_path / "twin", 1, 2)
    assert DOUBTED not in {f["key"] for f in twin.get(
        f"/api/graphs/{NAME}/findings", headers=EDITOR).json()["findings"]}
    for path, query in calls(small.get("/openapi.json").json()):
        a, b = small.get(path, params=query), twin.get(path, params=query)
        assert a.status_code == b.status_code == 200, (path, query, a.text[:300])
        assert normal(said(a)) == normal(said(b)), f"{path} {query}: the public answer " \
                                                 "depends on a small cell"
