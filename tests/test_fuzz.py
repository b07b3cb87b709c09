"""No input breaks polku (issue 18): random and mangled workbooks, PTV JSON, CPSV-AP
Turtle and write bodies. Every input is either read or refused with a located
:class:`~polku.errors.PolkuError` (never another exception: a traceback); every write
answers below 500, and a refused write leaves every file byte for byte as it was.

The examples are derandomized (a fixed sequence every run, in CI and locally), so a red
build names one input and a green one stays green.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st

from helpers import MINI, copy_mini
from polku.app import create_app
from polku.errors import PolkuError
from polku.io import workbook
from polku.io.cpsvap import read_cpsv_ap
from polku.io.ptv import read_ptv
from polku.server.auth import parse_tokens

HERE = Path(__file__).parent
PTV = sorted((HERE / "fixtures" / "ptv").glob("v11_*.json"))
CPSV = HERE / "fixtures" / "cpsv-ap" / "laukaa-services.ttl"
TOKEN = "fuzz-token-0123456789"

FUZZ = settings(derandomize=True, database=None, deadline=None,
                suppress_health_check=list(HealthCheck))

#: cells that have broken readers before, or might: formulas, quotes, separators, control
#: characters, identity codes, huge and odd numbers, long text
NASTY = st.sampled_from([
    "", " ", "=1+1", "+1", "-1", "@SUM(A1)", "'=x", '"', '""', "a,b", "a;b;", ";", "\n",
    "\r\n", "\x00", "\x1b", "131052-308T", "1e400", "NaN", "inf", "-0", "0,35", "1 200",
    "kyllä", "EI", "päävastuu", "x" * 40_000, "y" * 140_000, "é" * 300, "\u202e", "\ufeff",
    "keusote", "kela", "alkuhaastattelu", "kuntouttava", "tyo", "nuoret", "tyokyky", "p1"])
CELL = st.one_of(NASTY, st.text(max_size=30))
COLUMNS = sorted({c.name for s in workbook.SHEETS.values() for c in s.columns})
HEADER_NAME = st.one_of(st.sampled_from(COLUMNS), NASTY, st.text(max_size=12))


def csv_line(cells: list[str]) -> str:
    return ",".join('"' + c.replace('"', '""') + '"' if any(x in c for x in ',"\n\r') else c
                    for c in cells)


@st.composite
def mangled_sheet(draw) -> tuple[str, bytes]:
    """One sheet of the mini workbook with rows, cells or header names changed, or raw
    bytes instead."""
    name = draw(st.sampled_from(sorted(p.stem for p in MINI.glob("*.csv"))))
    lines = (MINI / f"{name}.csv").read_text(encoding="utf-8").splitlines()
    rows = [line.split(",") for line in lines]
    how = draw(st.sampled_from(["cell", "header", "row", "bytes", "quote"]))
    if how == "bytes":
        return name, draw(st.binary(max_size=200))
    if how == "quote":
        text = "\n".join(lines)
        at = draw(st.integers(0, len(text)))
        return name, (text[:at] + '"' + text[at:]).encode()
    if how == "row":
        rows.append(draw(st.lists(CELL, max_size=len(rows[0]) + 2)))
    else:
        r = 0 if how == "header" else draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, max(len(rows[r]) - 1, 0)))
        rows[r][c] = draw(HEADER_NAME if how == "header" else CELL)
    return name, ("\n".join(csv_line(r) for r in rows) + "\n").encode("utf-8")


def only_located_errors(call) -> None:
    """``call()`` either succeeds or raises a PolkuError naming where; nothing else."""
    try:
        call()
    except PolkuError as e:
        assert str(e)  # a message a person reads
    except RecursionError:  # pragma: no cover - a reader recursing is a bug too
        raise


@FUZZ
@given(st.lists(mangled_sheet(), min_size=1, max_size=3))
def test_the_workbook_reader_never_fails_with_a_traceback(sheets) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "w"
        copy_mini(folder)
        for name, data in sheets:
            (folder / f"{name}.csv").write_bytes(data)
        only_located_errors(lambda: workbook.read_workbook(folder))


@FUZZ
@given(st.binary(max_size=400))
def test_a_broken_xlsx_is_a_located_problem(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "w.xlsx"
        path.write_bytes(b"PK\x03\x04" + data if data[:1] == b"\x00" else data)
        only_located_errors(lambda: workbook.read_workbook(path))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | CELL,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "serviceNames", "language", "value", "type", "itemList",
                         "organizations", "serviceDescriptions", "areas", "code", "name",
                         "serviceChannels", "targetGroups", "organizationId"]) | st.text(max_size=8),
        inner, max_size=5),
    max_leaves=25)


@st.composite
def mangled_ptv(draw) -> str:
    """A PTV fixture with one value replaced anywhere in its tree, or random JSON."""
    if draw(st.booleans()):
        return json.dumps(draw(JSON))
    data = json.loads(draw(st.sampled_from(PTV)).read_text(encoding="utf-8"))
    node = data
    for _ in range(draw(st.integers(0, 6))):
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
            if draw(st.integers(0, 3)) == 0:
                node[key] = draw(JSON)
                break
            node = node[key]
        elif isinstance(node, list) and node:
            i = draw(st.integers(0, len(node) - 1))
            if draw(st.integers(0, 3)) == 0:
                node[i] = draw(JSON)
                break
            node = node[i]
    return json.dumps(data, ensure_ascii=False)


@FUZZ
@given(mangled_ptv())
def test_the_ptv_reader_never_fails_with_a_traceback(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ptv.json"
        path.write_text(text, encoding="utf-8")
        only_located_errors(lambda: read_ptv([path]))


@FUZZ
@given(st.data())
def test_the_cpsv_ap_reader_never_fails_with_a_traceback(data) -> None:
    text = CPSV.read_text(encoding="utf-8")
    lines = text.splitlines()
    how = data.draw(st.sampled_from(["line", "literal", "cut", "raw"]))
    if how == "line":
        i = data.draw(st.integers(0, len(lines) - 1))
        lines[i] = data.draw(st.text(max_size=60))
        text = "\n".join(lines)
    elif how == "literal":
        value = data.draw(CELL).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        text = text.replace('"', f'"{value}', 1)
    elif how == "cut":
        text = text[:data.draw(st.integers(0, len(text)))]
    else:
        text = data.draw(st.text(max_size=200))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.ttl"
        path.write_text(text, encoding="utf-8")
        only_located_errors(lambda: read_cpsv_ap(path))


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix != ".lock"}  # the write lock is no data


BODY_VALUE = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**12),
                       st.floats(allow_nan=True, allow_infinity=True), CELL,
                       st.lists(CELL, max_size=3), st.dictionaries(st.text(max_size=3), CELL,
                                                                   max_size=2))
BODY = st.one_of(
    st.dictionaries(st.one_of(st.sampled_from(COLUMNS), HEADER_NAME), BODY_VALUE, max_size=6),
    BODY_VALUE)
KEYS = st.sampled_from(["alkuhaastattelu", "kuntouttava", "keusote", "r1", "tyo", "nuoret",
                        "keusote~kuntouttava", "p1~1", "p1~9", "x~y~z", "%2e%2e", "nope"])


class Served:
    """One served copy of the mini workbook for the whole fuzz run (a write that is taken
    changes it; the next examples go on from there, as a real workspace does)."""

    def __init__(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.folder = Path(self.tmp.name) / "graphs"
        copy_mini(self.folder / "mini")
        self.client = TestClient(create_app([self.folder], parse_tokens(f"fuzz:{TOKEN}")),
                                 raise_server_exceptions=False)

    def etag(self) -> str:
        r = self.client.get("/api/graphs/mini")
        assert r.status_code == 200, r.text
        return r.headers["etag"]


@settings(FUZZ, max_examples=60)
@given(st.sampled_from(["post", "patch", "delete", "undo"]),
       st.sampled_from(sorted(workbook.SHEETS) + ["nosheet"]), KEYS, BODY,
       st.sampled_from(["current", "stale", "*", "weak", "none"]))
def test_write_bodies_never_answer_5xx_and_a_refusal_writes_nothing(
        method: str, sheet: str, key: str, body: object, precondition: str) -> None:
    served = SERVED.get("one") or SERVED.setdefault("one", Served())
    etag = served.etag()
    headers = {"Authorization": f"Bearer {TOKEN}",
               "If-Match": {"current": etag, "stale": '"0000"', "*": "*",
                            "weak": f"W/{etag}", "none": ""}[precondition]}
    before = snapshot(served.folder)
    base = f"/api/graphs/mini/rows/{sheet}"
    client = served.client
    if method == "post":
        r = client.post(base, content=json.dumps(body), headers=headers)
    elif method == "patch":
        r = client.patch(f"{base}/{key}", content=json.dumps(body), headers=headers)
    elif method == "delete":
        r = client.delete(f"{base}/{key}", headers=headers)
    else:
        r = client.post("/api/graphs/mini/undo", headers=headers)
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert set(r.json()) == {"error"}, r.text
        assert snapshot(served.folder) == before
    else:
        assert precondition == "current"
        assert client.get("/api/graphs").json()[0]["state"] == "ok"


SERVED: dict[str, Served] = {}


def test_a_ptv_organisation_of_the_wrong_shape_is_refused_with_its_file_and_id(
        tmp_path: Path) -> None:
    """Found by the fuzz test: ``"areas": true`` in an organisation record was a
    TypeError; it is refused with the file and the record's id."""
    source = next(p for p in sorted(Path(__file__).parent.joinpath("fixtures", "ptv").glob(
        "*.json")) if "organization" in p.name.lower())
    record = json.loads(source.read_text(encoding="utf-8"))
    record["areas"] = True
    path = tmp_path / "org.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    try:
        read_ptv([path])
    except PolkuError as e:
        assert e.file == str(path) and str(record["id"]) in e.message
        assert "shape of a PTV organisation record" in e.message
    else:
        raise AssertionError("a record of the wrong shape was read")
