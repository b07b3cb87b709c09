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

from helpers import MINI, copy_mini, run
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
    "/api/compare": [{}],
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
    "/graphs/{name}/changes": [{}],
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
        assert normal(a.text) == normal(b.text), f"{path} {query}: the public answer " \
                                                 "depends on a small cell"
        if a.headers["content-type"].startswith("application/json"):
            assert small_figures(a.json()) == [], (path, query)


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


#: the CLI's outputs for others, by their default (a shared format, a page, the report) or
#: by --suppress (the owner's own formats, and a diff given to someone); every format of the
#: registry is one of them
COMMANDS = [(f"export-{f.name}", lambda wb, out, f=f: [
                "export", wb, "--to", f.name, "-o", out / f"x{f.suffixes[0]}"]
             + ([] if f.shared else ["--suppress"]), lambda out, f=f: out / f"x{f.suffixes[0]}")
            for f in formats.FORMATS.values()] + [
    ("render", lambda wb, out: ["render", wb, "-o", out / "v.html", "--view", "segment:nuoret"],
     lambda out: out / "v.html"),
    ("report", lambda wb, out: ["report", wb, "-o", out / "r.md"], lambda out: out / "r.md"),
    ("report-html", lambda wb, out: ["report", wb, "-o", out / "r.html"],
     lambda out: out / "r.html"),
    ("diff-json", lambda wb, out: ["diff", MINI, wb, "--format", "json", "--suppress", "-o",
                                   out / "d.json"], lambda out: out / "d.json"),
    ("diff-text", lambda wb, out: ["diff", MINI, wb, "--suppress", "-o", out / "d.txt"],
     lambda out: out / "d.txt"),
    ("diff-html", lambda wb, out: ["diff", MINI, wb, "--format", "html", "-o", out / "d.html"],
     lambda out: out / "d.html"),
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
        texts.append(normal(read_output(output(out))).replace(str(tmp_path / w), "TMP"))
    assert texts[0] == texts[1], f"{name}: the file depends on a small cell"
    if name in ("diff-json", "export-jsonld"):
        assert small_figures(json.loads(texts[0])) == []
