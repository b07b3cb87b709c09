"""A workspace several organisations can trust (issue 18): strong preconditions, limits
that keep every graph readable, any folder name, and the security headers."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import MINI, copy_mini, etag_of
from polku.app import create_app
from polku.server.auth import parse_tokens

ANNA = "anna-token-0123456789"
TOKENS = parse_tokens(f"anna:{ANNA}")


def auth(etag: str | None = None) -> dict[str, str]:
    # asked in English: these tests compare with the English messages (the API's
    # default language is Finnish)
    headers = {"Accept-Language": "en", "Authorization": f"Bearer {ANNA}"}
    if etag:
        headers["If-Match"] = etag
    return headers


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by its hash (to show that nothing was written)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            # the write lock and the ETag key are the server's own state, no data
            if p.is_file() and p.suffix not in (".lock", ".key")}


@pytest.fixture
def client(served: Path) -> TestClient:
    return TestClient(create_app([served], TOKENS), raise_server_exceptions=False)


# -- strong preconditions (RFC 9110 §13.1.1: If-Match uses the strong comparison) ----------

@pytest.mark.parametrize("if_match", ["*", "W/{etag}", "{etag}, *", "W/{etag}, \"00\""])
def test_if_match_star_and_weak_tags_are_refused(client: TestClient, served: Path,
                                                 if_match: str) -> None:
    etag = etag_of(client)
    before = snapshot(served)
    r = client.patch("/api/graphs/mini/rows/services/kuntouttava",
                     json={"capacity_per_month": 99}, headers=auth(if_match.format(etag=etag)))
    assert r.status_code == 412, r.text
    assert r.json()["error"]["field"] == "If-Match" and r.headers["etag"] == etag
    assert snapshot(served) == before


def test_a_strong_tag_among_others_is_accepted(client: TestClient) -> None:
    etag = etag_of(client)
    r = client.patch("/api/graphs/mini/rows/services/kuntouttava",
                     json={"capacity_per_month": 99}, headers=auth(f'"00", {etag}'))
    assert r.status_code == 200, r.text


# -- no input breaks a graph --------------------------------------------------------------

def test_a_cell_over_the_limit_is_refused_and_the_graph_keeps_taking_writes(
        client: TestClient, served: Path) -> None:
    etag = etag_of(client)
    before = snapshot(served)
    r = client.patch("/api/graphs/mini/rows/services/kuntouttava",
                     json={"description": "x" * 140_000}, headers=auth(etag))
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["field"] == "description" and "32,767" in error["message"]
    assert "mini/services.csv" in error["message"] and "row 3" in error["message"]
    assert snapshot(served) == before
    r = client.patch("/api/graphs/mini/rows/services/kuntouttava",
                     json={"description": "x" * 30_000}, headers=auth(etag))
    assert r.status_code == 200, r.text
    r = client.patch("/api/graphs/mini/rows/services/kuntouttava",
                     json={"capacity_per_month": 21}, headers=auth(r.headers["etag"]))
    assert r.status_code == 200, r.text
    assert client.get("/api/graphs").json()[0]["state"] == "ok"


def test_a_csv_cell_past_the_csv_field_limit_is_a_located_problem(client: TestClient,
                                                                   served: Path) -> None:
    etag_of(client)  # loaded once: the last good version is kept
    services = served / "mini" / "services.csv"
    services.write_text(services.read_text() + "iso,Iso,keusote,,,,,,,," + "y" * 140_000 + ",\n")
    listed = client.get("/api/graphs").json()[0]
    assert listed["state"] == "stale", listed
    # the figure as the problem's language (Finnish, the server's default) writes it
    assert "mini/services.csv" in listed["problem"] and "32\xa0767" in listed["problem"]


def test_a_body_over_the_limit_answers_413_before_anything_is_read(client: TestClient,
                                                                   served: Path) -> None:
    etag = etag_of(client)
    before = snapshot(served)
    r = client.post("/api/graphs/mini/rows/outcomes", content=b'{"id": "' + b"a" * 5_000_000 + b'"}',
                    headers={**auth(etag), "Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"] == {"code": "payload-too-large", "field": "body",
                                 "message": r.json()["error"]["message"]}
    assert snapshot(served) == before


def test_too_many_rows_are_refused(client: TestClient, served: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    most = max(len(p.read_text().splitlines()) - 1 for p in (served / "mini").glob("*.csv"))
    monkeypatch.setenv("POLKU_MAX_ROWS", str(most))  # the longest sheet is at the ceiling
    etag = etag_of(client)
    before = snapshot(served)
    for i in range(most - 1):  # outcomes has 1 row
        r = client.post("/api/graphs/mini/rows/outcomes", json={"id": f"t{i}", "name": "T"},
                        headers=auth(etag))
        assert r.status_code == 201, r.text
        etag = r.headers["etag"]
    before = snapshot(served)
    r = client.post("/api/graphs/mini/rows/outcomes", json={"id": "tyo3", "name": "Työ 3"},
                    headers=auth(etag))
    assert r.status_code == 422 and f"more than {most} rows" in r.json()["error"]["message"]
    assert snapshot(served) == before


@pytest.mark.parametrize("column", ["131052-308T", "a,b", "=cmd", "x\ny", "+1", "@x", 'q"'])
def test_column_names_are_checked(client: TestClient, served: Path, column: str) -> None:
    etag = etag_of(client)
    before = snapshot(served)
    r = client.post("/api/graphs/mini/rows/outcomes",
                    json={"id": "tyo2", "name": "Työ 2", column: "1"}, headers=auth(etag))
    assert r.status_code == 422, r.text
    assert "131052-308T" not in r.text and "column 3 of the header" in r.text
    assert snapshot(served) == before


def test_undo_restores_the_header(client: TestClient, served: Path) -> None:
    # a column of the sheet's own that its header lacks (a write gives no other column)
    before = snapshot(served)
    original = (served / "mini" / "outcomes.csv").read_bytes()
    r = client.post("/api/graphs/mini/rows/outcomes",
                    json={"id": "tyo2", "name": "Työ 2", "name_sv": "Arbete 2"},
                    headers=auth(etag_of(client)))
    assert r.status_code == 201 and b"name_sv" in (served / "mini" / "outcomes.csv").read_bytes()
    r = client.post("/api/graphs/mini/undo", headers=auth(r.headers["etag"]))
    assert r.status_code == 200, r.text
    assert (served / "mini" / "outcomes.csv").read_bytes() == original
    assert {k: v for k, v in snapshot(served).items() if not k.startswith(".polku")} == before


def test_a_referral_to_itself_is_refused(client: TestClient, served: Path) -> None:
    r = client.post("/api/graphs/mini/rows/referrals",
                    json={"id": "r9", "from": "kuntouttava", "to": "kuntouttava"},
                    headers=auth(etag_of(client)))
    assert r.status_code == 422 and r.json()["error"]["field"] == "to"
    assert "from a service to itself" in r.json()["error"]["message"]


# -- the content security policy ------------------------------------------------------------

def test_every_page_allows_only_its_own_scripts(client: TestClient) -> None:
    import base64
    import re

    pages = ["/", "/graphs/mini", "/graphs/mini/view", "/graphs/mini/table",
             "/graphs/mini/paths", "/graphs/mini/whatif", "/graphs/mini/bottlenecks",
             "/graphs/mini/raci", "/graphs/mini/changes", "/graphs/mini/report",
             "/graphs/mini/ptv", "/graphs/mini/view?view=ecosystem", "/docs", "/graphs/nowhere"]
    html = {"Accept": "text/html"}
    seen_scripts = 0
    for path in pages:
        for encoding in ("identity", "gzip"):
            r = client.get(path, headers={**html, "Accept-Encoding": encoding})
            assert r.headers["content-type"].startswith("text/html"), path
            policy = r.headers["content-security-policy"]
            script_src = next(d for d in policy.split("; ") if d.startswith("script-src"))
            assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src, path
            assert "frame-ancestors 'none'" in policy
            # every script that runs (a JSON data block, type="application/json", runs nothing)
            for body in re.findall(r"<script(?![^>]*\s(?:src|type)=)[^>]*>(.*?)</script>", r.text,
                                   re.S):
                digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                assert f"'sha256-{digest}'" in script_src, path
                seen_scripts += 1
    assert seen_scripts >= 4
    api = client.get("/api/graphs")
    assert "unsafe-inline" not in api.headers["content-security-policy"].split("; ")[1]


# -- any folder name -------------------------------------------------------------------------

def test_a_folder_named_unlike_its_graph_takes_writes(tmp_path: Path) -> None:
    folder = tmp_path / "graphs"
    copy_mini(folder / "ku")
    (folder / "ku" / "graph.csv").write_text("id,title\nmini-region,Mini\n")
    client = TestClient(create_app([folder], TOKENS), raise_server_exceptions=False)
    listed = client.get("/api/graphs").json()[0]
    assert (listed["name"], listed["id"], listed["state"]) == ("ku", "mini-region", "ok")
    assert "/id/mini-region/" in client.get("/api/graphs/ku/export").text
    r = client.patch("/api/graphs/ku/rows/services/kuntouttava", json={"capacity_per_month": 30},
                     headers=auth(etag_of(client, "ku")))
    assert r.status_code == 200, r.text
    assert "/id/mini-region/" in client.get("/api/graphs/ku/export").text
    r = client.patch("/api/graphs/ku/rows/services/kuntouttava", json={"capacity_per_month": "x"},
                     headers=auth(r.headers["etag"]))
    assert r.status_code == 422 and r.json()["error"]["field"] == "capacity_per_month"
    assert "'x' is not a number" in r.json()["error"]["message"]
    ttl = tmp_path / "turtle"
    ttl.mkdir()
    from polku.io.load import load_graph, save_graph

    save_graph(load_graph(folder / "ku"), ttl / "other.ttl")
    client = TestClient(create_app([ttl], TOKENS), raise_server_exceptions=False)
    r = client.post("/api/graphs/other/rows/outcomes", json={"id": "t2", "name": "T"},
                    headers=auth(etag_of(client, "other")))
    assert r.status_code == 201, r.text
    assert load_graph(ttl / "other.ttl").graph["name"] == "mini-region"


# -- several servers over one Neo4j database --------------------------------------------------

def test_two_servers_over_one_neo4j_region_never_overwrite_each_other(
        neo4j_server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from polku.io import workbook
    from polku.io.neo4jstore import pull_graph, push_graph
    from polku.server import store as store_module

    creds = {"uri": neo4j_server.uri, "user": neo4j_server.user,
             "password": neo4j_server.password}
    push_graph(workbook.read_workbook(MINI, name="mini-race"), region="mini-race", **creds)
    monkeypatch.setenv("NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password)
    # neither server looks at the database again before its write: only the check in the
    # write's own transaction can notice the other's change
    monkeypatch.setattr(store_module, "NEO4J_REFRESH", 1e9)
    source = f"{neo4j_server.uri}?region=mini-race"
    # servers on two machines share the ETags' secret, so that their ETags agree
    a = TestClient(create_app([source], TOKENS, changes_dir=tmp_path / "a",
                              etag_secret="shared-secret"), raise_server_exceptions=False)
    b = TestClient(create_app([source], TOKENS, changes_dir=tmp_path / "b",
                              etag_secret="shared-secret"), raise_server_exceptions=False)
    etag_a, etag_b = etag_of(a, "mini-race"), etag_of(b, "mini-race")
    assert etag_a == etag_b
    r = a.post("/api/graphs/mini-race/rows/outcomes", json={"id": "from-a", "name": "A"},
               headers=auth(etag_a))
    assert r.status_code == 201, r.text
    r = b.post("/api/graphs/mini-race/rows/outcomes", json={"id": "from-b", "name": "B"},
               headers=auth(etag_b))
    assert r.status_code == 412, r.text
    now = pull_graph(region="mini-race", **creds)
    assert "from-a" in now and "from-b" not in now


def test_cli_writes_to_a_neo4j_region_check_the_version_they_read(
        neo4j_server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`polku undo` and the CLI's batch writes (ptv compare --apply, suggest --apply) carry
    no ETag: the region they read is checked in the write's own transaction, so a server
    that wrote in between is never overwritten."""
    from polku.io import workbook
    from polku.io.load import load_graph
    from polku.io.neo4jstore import pull_graph, push_graph
    from polku.ops import edits
    from polku.ops.batch import undo_latest, write_all
    from polku.ops.changelog import ChangeLog

    creds = {"uri": neo4j_server.uri, "user": neo4j_server.user,
             "password": neo4j_server.password}
    push_graph(workbook.read_workbook(MINI, name="mini-cli"), region="mini-cli", **creds)
    monkeypatch.setenv("NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password)
    source = f"{neo4j_server.uri}?region=mini-cli"
    log = ChangeLog(tmp_path / "mini-cli.changes.jsonl")
    # two sheets in one change: the second push must not trip over the first
    fresh = load_graph(source)
    g, _ = write_all(source, fresh, [
        {"action": "create", "sheet": "outcomes", "key": "o-cli", "row": {"id": "o-cli",
                                                                        "name": "O"}},
        {"action": "create", "sheet": "needs", "key": "n-cli", "row": {"id": "n-cli",
                                                                      "name": "N"}}],
        "cli", log=log)
    assert {"o-cli", "n-cli"} <= set(pull_graph(region="mini-cli", **creds))

    stale = load_graph(source)
    other = pull_graph(region="mini-cli", **creds)
    other.add_node("from-server", type="outcome", name="S")
    push_graph(other, region="mini-cli", **creds)  # a server writes after the CLI read
    with pytest.raises(edits.StaleVersion):
        write_all(source, stale, [{"action": "create", "sheet": "outcomes", "key": "late",
                                   "row": {"id": "late", "name": "L"}}], "cli", log=log)
    with pytest.raises(edits.StaleVersion):
        undo_latest(source, stale, "cli", log)
    now = pull_graph(region="mini-cli", **creds)
    assert {"from-server", "o-cli", "n-cli"} <= set(now) and "late" not in now
    assert len(log.entries()) == 1  # nothing logged for the refused writes

    g, entry = undo_latest(source, load_graph(source), "cli", log)
    now = pull_graph(region="mini-cli", **creds)
    assert "from-server" in now and not {"o-cli", "n-cli"} & set(now)
