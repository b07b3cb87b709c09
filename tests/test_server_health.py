"""The health probes a load balancer and a monitor ask: ``/healthz`` (the process answers)
and ``/readyz`` (every graph loaded and its change log readable; 503 naming the graph)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from fastapi.testclient import TestClient

from helpers import copy_mini
from polku.app import create_app
from polku.server.auth import parse_tokens

TOKEN = "health-token-0123456789"
ROW = "/api/graphs/mini/rows/services/alkuhaastattelu"


def test_liveness_is_plain_and_public(served: Path) -> None:
    client = TestClient(create_app([served]))
    r = client.get("/healthz")
    assert r.status_code == 200 and r.text == "ok\n"
    assert r.headers["content-type"].startswith("text/plain")
    assert r.headers["cache-control"] == "no-store"
    assert client.head("/healthz").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert "/healthz" in paths and "503" in paths["/readyz"]["get"]["responses"]


def test_ready_while_every_graph_loads_and_its_log_reads(served: Path) -> None:
    client = TestClient(create_app([served]))
    r = client.get("/readyz", headers={"Accept-Language": "en"})
    assert r.status_code == 200, r.text
    assert r.json() == {"ready": True, "graphs": [
        {"name": "mini", "state": "ok", "changelog": "ok", "problem": None, "problems": [],
         "changelog_problem": None}]}
    assert r.headers["cache-control"] == "no-store"


def test_a_graph_that_never_loaded_is_not_ready(served: Path) -> None:
    client = TestClient(create_app([served]))
    assert client.get("/readyz").status_code == 200
    (served / "broken.ttl").write_text("this is not turtle", encoding="utf-8")
    r = client.get("/readyz", headers={"Accept-Language": "en"})
    assert r.status_code == 503
    listed = {g["name"]: g for g in r.json()["graphs"]}
    assert listed["broken"]["state"] == "failed" and listed["broken"]["problem"]
    assert listed["mini"]["state"] == "ok" and str(served) not in r.text


def test_a_stale_graph_is_served_so_ready_with_its_problem(served: Path) -> None:
    client = TestClient(create_app([served]))
    assert client.get("/api/graphs/mini").status_code == 200
    sheet = served / "mini" / "services.csv"
    text = sheet.read_text(encoding="utf-8")
    assert '"40,5"' in text
    sheet.write_text(text.replace('"40,5"', "40x", 1), encoding="utf-8")
    later = time.time() + 5
    os.utime(sheet, (later, later))
    r = client.get("/readyz", params={"lang": "en"})
    assert r.status_code == 200
    graph = r.json()["graphs"][0]
    assert graph["state"] == "stale" and "is not a number" in graph["problem"]


def test_a_broken_change_log_is_not_ready_and_named(served: Path) -> None:
    """``/api/graphs`` says ok while every write is refused 409 changelog-broken: the
    readiness probe names the graph and the log's line, until it is mended."""
    client = TestClient(create_app([served], parse_tokens(f"anna:{TOKEN}")))
    etag = client.get(ROW).headers["etag"]
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    r = client.patch(ROW, json={"capacity_per_month": "7"}, headers={**bearer, "If-Match": etag})
    assert r.status_code == 200, r.text
    assert client.get("/readyz").status_code == 200
    log = served / ".polku" / "mini.changes.jsonl"
    good = log.read_text(encoding="utf-8")
    log.write_text(good + '{"version": 2, "ti', encoding="utf-8")
    write = client.patch(ROW, json={"capacity_per_month": "8"},
                         headers={**bearer, "If-Match": r.json()["etag"]})
    assert write.json()["error"]["code"] == "changelog-broken"
    r = client.get("/readyz", headers={"Accept-Language": "en"})
    assert r.status_code == 503
    graph = r.json()["graphs"][0]
    assert graph["name"] == "mini" and graph["state"] == "ok" and graph["changelog"] == "broken"
    assert ".polku/mini.changes.jsonl, row 2: not a change log line" in graph["changelog_problem"]
    assert str(served) not in r.text and TOKEN not in r.text and "anna" not in r.text
    finnish = client.get("/readyz").json()["graphs"][0]["changelog_problem"]
    assert "rivi 2" in finnish
    log.write_text(good, encoding="utf-8")  # mended: ready again
    assert client.get("/readyz").status_code == 200


def test_a_graph_whose_source_is_gone_is_dropped_in_every_process(served: Path) -> None:
    """The administrator's report: a workbook folder that appears and is removed again
    stayed ``failed`` for good in the process that had seen it (``/readyz`` 503 until a
    restart), while a process that had not seen it answered 200. A source that is gone
    is no graph any more: dropped from every process alike, whether it never loaded or
    was served (a source that is there but broken stays served, ``stale``)."""
    one, two = TestClient(create_app([served])), TestClient(create_app([served]))
    assert one.get("/readyz").status_code == two.get("/readyz").status_code == 200
    rikki = served / "rikki"
    rikki.mkdir()
    (rikki / "services.csv").write_text("id,name\nx,y\n", encoding="utf-8")
    assert one.get("/readyz").status_code == 503  # only the first process sees it
    import shutil

    shutil.rmtree(rikki)
    for client in (one, two):
        r = client.get("/readyz")
        assert r.status_code == 200, r.text
        assert [g["name"] for g in r.json()["graphs"]] == ["mini"]
        assert [g["name"] for g in client.get("/api/graphs").json()] == ["mini"]
        assert client.get("/api/graphs/rikki").status_code == 404
    # a graph that was loaded and served, moved away: gone from both, not served stale
    copy_mini(served / "toinen")
    assert one.get("/api/graphs/toinen").status_code == 200
    shutil.move(served / "toinen", served.parent / "muualla")
    for client in (one, two):
        assert client.get("/api/graphs/toinen").status_code == 404
        assert [g["name"] for g in client.get("/api/graphs").json()] == ["mini"]
        assert client.get("/readyz").status_code == 200
    assert "toinen" not in one.app.state.store.names  # its version and model let go
    shutil.move(served.parent / "muualla", served / "toinen")  # back: served again
    assert one.get("/api/graphs/toinen").json()["state"] == "ok"
