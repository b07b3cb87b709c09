"""Verified suggestions: every suggestion, applied through the write API to a copy of the
graph, resolves its finding and creates no error-severity finding (the example region and
random workbooks); the CLI and the API give the same suggestions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from polku.analyses.findings import find
from polku.analyses.suggest import suggest
from polku.app import create_app
from polku.io.workbook import read_workbook, write_workbook
from polku.server.auth import parse_tokens
from helpers import run
from test_findings_property import ecosystems

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "graphs" / "keski-uusimaa"
TOKEN = "anna-token-0123456789"
TOKENS = parse_tokens(f"anna:{TOKEN}")


def apply_through_the_api(source: Path, workdir: Path, suggestion: dict) -> dict:
    """Apply one suggestion's edits to a fresh copy of ``source`` through the HTTP API;
    return the findings document after."""
    served = workdir / "served"
    if served.exists():
        shutil.rmtree(served)
    served.mkdir(parents=True)
    shutil.copytree(source, served / source.name)
    client = TestClient(create_app([served], TOKENS), raise_server_exceptions=False)
    base = f"/api/graphs/{source.name}"
    for edit in suggestion["edits"]:
        etag = client.get(base).headers["etag"]
        headers = {"Authorization": f"Bearer {TOKEN}", "If-Match": etag}
        if edit["action"] == "create":
            r = client.post(f"{base}/rows/{edit['sheet']}", json=edit["row"], headers=headers)
        elif edit["action"] == "update":
            r = client.patch(f"{base}/rows/{edit['sheet']}/{edit['key']}", json=edit["row"],
                             headers=headers)
        else:
            r = client.delete(f"{base}/rows/{edit['sheet']}/{edit['key']}", headers=headers)
        assert r.status_code in (200, 201), (suggestion, r.text)
    return client.get(f"{base}/findings").json()


def check_every_suggestion(source: Path, workdir: Path) -> int:
    g = read_workbook(source)
    before = find(g)
    before_keys = {f.key for f in before}
    offered = suggest(g)
    for s in offered:
        assert s["finding"] in before_keys and s["finding"] in s["resolves"]
        after = apply_through_the_api(source, workdir, s)
        after_keys = {f["key"] for f in after["findings"]}
        assert s["finding"] not in after_keys, s
        new_errors = [f["key"] for f in after["findings"]
                      if f["severity"] == "error" and f["key"] not in before_keys]
        assert new_errors == [], s
        assert sorted(before_keys - after_keys) == s["resolves"]
        assert sorted(after_keys - before_keys) == s["creates"]
    return len(offered)


@pytest.mark.slow
def test_every_suggestion_on_the_example_resolves_its_finding(tmp_path) -> None:
    n = check_every_suggestion(EXAMPLE, tmp_path)
    kinds = {s["finding"].split(":")[0] for s in suggest(read_workbook(EXAMPLE))}
    assert n >= 4
    assert {"referral-without-owner", "over-capacity", "path-broken",
            "segment-without-lead"} <= kinds


@pytest.mark.slow
@settings(max_examples=8, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(b=ecosystems())
def test_every_suggestion_on_random_workbooks_resolves_its_finding(tmp_path_factory, b) -> None:
    workdir = tmp_path_factory.mktemp("suggest")
    folder = workdir / "random"
    write_workbook(b.g, folder)
    check_every_suggestion(folder, workdir)


def test_cli_and_api_agree_and_a_bad_key_is_located(tmp_path) -> None:
    r = run(*["suggest", str(EXAMPLE), "--format", "json"])
    assert r.exit_code == 0, r.output
    cli = json.loads(r.stdout)
    client = TestClient(create_app([EXAMPLE]), raise_server_exceptions=False)
    api = client.get("/api/graphs/keski-uusimaa/suggestions").json()
    assert api["suggestions"] == cli["suggestions"] and api["worded"] == cli["worded"]
    one = "referral-without-owner:ref-ktt-tyokokeilu"
    r = run(*["suggest", str(EXAMPLE), "--finding", one, "--lang", "en"])
    # in words, with names: the finding's sentence, then the edit as a leader reads it
    assert r.exit_code == 0 and f"[{one}]" in r.stdout and "→ Make " in r.stdout
    assert "the owner of the referral" in r.stdout and "change referrals" not in r.stdout
    assert {s["finding"] for s in client.get(
        "/api/graphs/keski-uusimaa/suggestions", params={"finding": one}).json()[
        "suggestions"]} == {one}
    bad = client.get("/api/graphs/keski-uusimaa/suggestions", params={"finding": "nope:x"})
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "finding"
    r = run(*["suggest", str(EXAMPLE), "--finding", "nope:x"])
    assert r.exit_code != 0 and "nope:x" in r.output
    # the JSON is exactly the shape, and what it says is beside it, in order
    assert [w["finding"] for w in cli["worded"]] == [s["finding"] for s in cli["suggestions"]]
    for s, w in zip(cli["suggestions"], cli["worded"]):
        assert len(w["edits"]) == len(s["edits"]) and len(w["resolves"]) == len(s["resolves"])
        for text in (w["message"], *w["edits"]):
            assert not any(e["key"] and e["key"] in text for e in s["edits"]), text
    for s in cli["suggestions"]:
        assert list(s) == ["finding", "edits", "resolves", "creates"]
        for e in s["edits"]:
            assert list(e) == ["action", "sheet", "key", "row"]
            assert e["action"] in ("create", "update", "delete")


def test_suggestions_are_said_in_the_readers_language_with_names() -> None:
    """The graph page shows what the API says: the reviewer saw "muuta responsibilities
    tyollisyysalue~seg-terveys~participant: role = lead" in the Finnish page."""
    client = TestClient(create_app([EXAMPLE]), raise_server_exceptions=False)
    fi = client.get("/api/graphs/keski-uusimaa/suggestions?lang=fi").json()["worded"]
    sv = client.get("/api/graphs/keski-uusimaa/suggestions?lang=sv").json()["worded"]
    assert fi and len(fi) == len(sv)
    edits = [t for w in fi for t in w["edits"]]
    assert any(t.startswith("Nimetään ") and " päävastuutahoksi: " in t for t in edits), edits
    assert not any("responsibilities" in t or "~" in t or " = " in t for t in edits), edits
    assert fi[0]["message"] != sv[0]["message"]


def test_a_limit_gives_the_first_suggestions_of_the_full_answer() -> None:
    """The report asks for one suggestion per decision, for several findings at once: the
    same suggestions as the full answer's first of each, verified no further."""
    g = read_workbook(EXAMPLE)
    full = suggest(g)
    first: dict[str, dict] = {}
    for s in full:
        first.setdefault(s["finding"], s)
    assert suggest(g, limit=1) == list(first.values())
    some = sorted(first)[::2]
    assert suggest(g, among=some, limit=1) == [first[k] for k in first if k in some]
    one = some[0]
    assert suggest(g, finding=one, limit=2) == [s for s in full if s["finding"] == one][:2]


def _as_data(g) -> tuple:
    """A graph as comparable data: its attributes, its nodes and its edges with their keys
    (insertion order left out: the findings do not depend on it)."""
    return (dict(g.graph), {n: dict(d) for n, d in g.nodes(data=True)},
            sorted((u, v, k, sorted(d.items(), key=repr))
                   for u, v, k, d in g.edges(keys=True, data=True)))


def _round_trip(trials, edits_):
    """The graph :func:`polku.analyses.suggest.verify` builds for ``edits_``, or None."""
    from polku.errors import PolkuError
    from polku.io import sheets as rows

    sheets = trials.sheets
    try:
        for e in edits_:
            values = {k: rows.cell_text(v, k) for k, v in e["row"].items()}
            sheets, _ = rows.apply(sheets, e["action"], e["sheet"],
                                   None if e["action"] == "create" else e["key"], values)
        return read_workbook(trials.name, name=trials.name,
                             tables=rows.as_tables(sheets, lambda s: s))
    except PolkuError:
        return None


def _hand_made(g) -> list[list[dict]]:
    """Edits no finding suggests, each refused or taken by the import's own rules: a
    duplicate id, an unknown or wrong-typed reference, a bad cell, a role already held, an
    actor named twice on a measure, an end before the start, and a few that pass."""
    from polku.graph import nodes_of, responsibilities

    def edit(action, sheet, key, row):
        return [{"action": action, "sheet": sheet, "key": key, "row": row}]

    services, actors = nodes_of(g, "service"), nodes_of(g, "actor")
    referrals, measures = nodes_of(g, "referral"), nodes_of(g, "measure")
    s, a = services[0], actors[0]
    out = [
        edit("create", "referrals", referrals[0] if referrals else s,
             {"id": referrals[0] if referrals else s, "from": s, "to": services[-1]}),
        edit("create", "referrals", "ref-new", {"id": "ref-new", "from": s, "to": s}),
        edit("create", "referrals", "ref-new", {"id": "ref-new", "from": s, "to": "nobody"}),
        edit("create", "referrals", "ref-new", {"id": "ref-new", "from": s, "to": a}),
        edit("create", "referrals", "ref-new", {"id": "ref-new", "from": s,
                                                 "to": services[-1], "volume_per_month": 7,
                                                 "information_flow": "no", "x_note": "n"}),
        edit("create", "referrals", "Bad Id", {"id": "Bad Id", "from": s, "to": services[-1]}),
        edit("update", "services", s, {"capacity_per_month": -1}),
        edit("update", "services", s, {"capacity_per_month": "many"}),
        edit("update", "services", s, {"capacity_per_month": {"not": "a cell"}}),
        edit("create", "referrals", None, {"id": ""}),
        edit("create", "referrals", None, {"id": None, "from": ""}),
        edit("create", "responsibilities", None, {"actor": "", "subject": ""}),
        edit("update", "services", s, {"providers": "nobody"}),
        edit("update", "services", s, {"providers": ";".join(actors[:2]), "places": 2}),
        edit("update", "services", s, {"segments": "", "needs": ""}),
        edit("update", "services", "nothing-here", {"capacity_per_month": 3}),
        edit("update", "actors", a, {"parent": a}),
        edit("create", "responsibilities", None, {"actor": a, "subject": s, "role": "lead"}),
        edit("create", "responsibilities", None, {"actor": a, "subject": s, "role": "vetäjä",
                                                  "note": "n"}),
        edit("create", "responsibilities", None, {"actor": a, "subject": s, "role": "boss"}),
        edit("create", "responsibilities", None, {"actor": s, "subject": s, "role": "lead"}),
    ]
    held = [r for r in responsibilities(g) if g.nodes[r.subject]["type"] != "measure"]
    for r in held[:6]:
        for role in ("lead", "participant", "informed"):
            out.append(edit("update", "responsibilities", f"{r.actor}~{r.subject}~{r.role}",
                            {"role": role}))
        out.append(edit("create", "responsibilities", None,
                        {"actor": r.actor, "subject": r.subject, "role": r.role}))
    for m in measures[:4]:
        out += [edit("update", "measures", m, {"leads": a, "participants": a}),
                edit("update", "measures", m, {"leads": ";".join(actors[:2]),
                                               "participants": ""}),
                edit("update", "measures", m, {"start": "2030-01", "end": "2029-01"}),
                edit("update", "measures", m, {"subjects": s})]
    return out


def check_the_patch_is_the_round_trip(g) -> int:
    """Every candidate of every finding, and the hand-made edits: :class:`Trials` answers
    as :func:`verify` does, on the same graph, and puts its copy back afterwards."""
    from polku.analyses.suggest import Trials, _candidates, _involvement, verify

    def run(graph):
        return find(graph)

    trials = Trials(g, run)
    base = trials.base()
    before = None if base is None else _as_data(base)
    score = _involvement(g)
    tried = [c for f in find(g) for c in list(_candidates(g, f, score, 30.0))[:9]]
    tried += _hand_made(g)
    patched = 0
    for edits_ in tried:
        expected = _round_trip(trials, edits_)
        if trials.handled(edits_):
            patched += 1
            with trials.applied(edits_) as h:
                assert (h is None) == (expected is None), edits_
                if h is not None:
                    assert _as_data(h) == _as_data(expected), edits_
            assert base is None or _as_data(trials.base()) == before, edits_
        fast = trials.findings_after(edits_)
        slow = verify(trials.sheets, trials.name, edits_, run)
        assert (fast is None) == (slow is None), edits_
        if fast is not None:
            assert {(f.key, f.severity) for f in fast} == {(f.key, f.severity) for f in slow}
    return patched


@pytest.mark.slow
def test_trying_a_candidate_on_the_copy_is_the_round_trip() -> None:
    import networkx as nx

    from polku.graph import nodes_of
    from polku.io.load import load_graph
    from polku.privacy import suppress

    g = read_workbook(EXAMPLE)
    assert check_the_patch_is_the_round_trip(g) >= 40
    # the report reads the published graph (small cells left out)
    assert check_the_patch_is_the_round_trip(suppress(g, 5)) >= 40
    # with the plan layer: measures, their leads and participants (some with notes, which
    # take the round trip), risks
    both = nx.compose(g, load_graph(ROOT / "graphs" / "plan.ttl"))
    both.graph = dict(g.graph)
    for m in nodes_of(both, "measure")[:2]:
        for _, _, d in both.in_edges(m, data=True):
            d.pop("note", None)
    assert check_the_patch_is_the_round_trip(both) >= 150


@pytest.mark.slow
@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(b=ecosystems())
def test_trying_a_candidate_on_random_workbooks_is_the_round_trip(b) -> None:
    check_the_patch_is_the_round_trip(b.g)
