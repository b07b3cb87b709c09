"""The HTTP API and web UI: the real app in-process, and the real server over a socket."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from helpers import EXAMPLE_TTL as EXAMPLE, MINI, copy_mini, run
from processes import free_port
from polku.io import rdf, workbook
from polku.app import create_app, discover


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app([EXAMPLE, MINI]))


def test_lists_graphs(client: TestClient) -> None:
    graphs = {g["name"]: g["counts"] for g in client.get("/api/graphs").json()}
    assert set(graphs) == {"keski-uusimaa", "mini"}
    assert graphs["keski-uusimaa"]["service"] >= 30


def test_findings_are_the_cli_json(client: TestClient) -> None:
    cli_json = json.loads(run("findings", EXAMPLE, "--format", "json").stdout)
    api_json = client.get("/api/graphs/keski-uusimaa/findings").json()
    assert api_json == cli_json
    errors = client.get("/api/graphs/keski-uusimaa/findings", params={"severity": "error"}).json()
    assert errors["findings"] and all(f["severity"] == "error" for f in errors["findings"])
    assert len(errors["findings"]) < len(api_json["findings"])


def test_paths_bottlenecks_whatif(client: TestClient) -> None:
    paths = client.get("/api/graphs/keski-uusimaa/paths", params={"segment": "seg-nuoret", "k": 3}).json()
    assert paths["segment"] == "seg-nuoret" and 1 <= len(paths["best"]) <= 3
    ranking = client.get("/api/graphs/keski-uusimaa/bottlenecks", params={"top": 5}).json()
    assert ranking
    removed = client.get("/api/graphs/mini/whatif", params={"remove": "r2"}).json()
    assert any(f["kind"] == "dead-end" for f in removed["created"])


def test_bad_requests_say_what_is_wrong(client: TestClient) -> None:
    r = client.get("/api/graphs/nowhere")
    assert r.status_code == 404 and "nowhere" in r.json()["error"]["message"]
    r = client.get("/api/graphs/keski-uusimaa/paths", params={"segment": "seg-nope", "lang": "en"})
    assert r.status_code == 400 and "unknown segment 'seg-nope'" in r.json()["error"]["message"]
    r = client.get("/api/graphs/keski-uusimaa/findings", params={"severity": "fatal"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "severity"


def test_export_round_trips(client: TestClient) -> None:
    text = client.get("/api/graphs/mini/export", params={"format": "turtle"}).text
    g = rdf.from_triples(rdf.parse_turtle_triples(text.encode()))
    assert sorted(g.nodes) == sorted(workbook.read_workbook(MINI).nodes)


def test_web_ui_pages(client: TestClient) -> None:
    index = client.get("/")
    assert index.status_code == 200 and 'href="/graphs/keski-uusimaa?lang=fi"' in index.text
    page = client.get("/graphs/keski-uusimaa")
    assert page.status_code == 200
    assert "view?view=segment%3Aseg-nuoret" in page.text and "segment-without-lead" in page.text
    view = client.get("/graphs/keski-uusimaa/view", params={"view": "segment:seg-nuoret"})
    assert view.status_code == 200 and "<html" in view.text.lower()
    assert 'href="/graphs/keski-uusimaa/report?lang=fi"' in page.text
    report = client.get("/graphs/keski-uusimaa/report")
    assert report.status_code == 200 and "keski-uusimaa" in report.text
    import re
    for html in (index.text, page.text, view.text, report.text):  # self-contained: nothing loads from elsewhere
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)


def test_user_data_is_escaped_in_pages(tmp_path: Path) -> None:
    wb = copy_mini(tmp_path / "xss")
    services = wb / "services.csv"
    services.write_text(services.read_text().replace("Alkuhaastattelu", "<img src=x onerror=alert(1)>"))
    (wb / "referrals.csv").write_text("id,from,to\n")  # dead ends and more: findings name the service
    page = TestClient(create_app([wb])).get("/graphs/xss").text
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_reloads_a_changed_graph(tmp_path: Path) -> None:
    wb = copy_mini(tmp_path / "live")
    client = TestClient(create_app([wb]))
    assert client.get("/api/graphs/live").json()["counts"]["outcome"] == 1
    time.sleep(0.01)
    (wb / "outcomes.csv").write_text("id,name\ntyo,Työ\nopiskelu,Opiskelu\n")
    import os
    os.utime(wb / "outcomes.csv", (time.time() + 5, time.time() + 5))
    assert client.get("/api/graphs/live").json()["counts"]["outcome"] == 2


def test_discover_prefers_the_workbook_and_says_so(tmp_path: Path) -> None:
    copy_mini(tmp_path / "mini")
    rdf.write_turtle(workbook.read_workbook(MINI), tmp_path / "mini.ttl")
    found, shadowed = discover([tmp_path])
    assert found["mini"].location == str(tmp_path / "mini") and found["mini"].kind == "workbook"
    assert shadowed == {"mini": ["mini.ttl"]}
    listed = TestClient(create_app([tmp_path])).get("/api/graphs").json()
    assert [(g["name"], g["source"], g["shadowed"]) for g in listed] == [("mini", "mini/", ["mini.ttl"])]
    assert "wins over" in TestClient(create_app([tmp_path])).get("/?lang=en").text


def test_polku_serve_answers_over_http() -> None:
    port = free_port()
    exe = Path(sys.executable).parent / "polku"
    proc = subprocess.Popen([str(exe), "serve", str(EXAMPLE), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/graphs", timeout=2) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError(f"server did not start: {proc.stderr.read() if proc.poll() is not None else ''}")
                time.sleep(0.2)
        assert body[0]["name"] == "keski-uusimaa"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/graphs/keski-uusimaa", timeout=10) as r:
            assert r.status == 200 and "keski-uusimaa" in r.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_graph_served_under_another_name_links_to_that_name(tmp_path: Path) -> None:
    """A folder named ``ku`` holding the graph ``keski-uusimaa`` is served as ``ku``: every
    link of its page, and the page's own calls to the API, go to ``ku``."""
    import html
    import re
    import shutil

    from helpers import EXAMPLE as EXAMPLE_WORKBOOK

    from polku.server.auth import parse_tokens

    shutil.copytree(EXAMPLE_WORKBOOK, tmp_path / "ku")
    # with an editor, so that the page carries its editing script too
    client = TestClient(create_app([tmp_path / "ku"], parse_tokens("anna:anna-token-0123456789")))
    page = client.get("/graphs/ku", params={"lang": "fi"})
    assert page.status_code == 200
    links = sorted({html.unescape(h) for h in re.findall(r'href="(/[^"#]*)"', page.text)})
    graph_links = [h for h in links if h.startswith(("/graphs/", "/api/graphs/"))]
    assert len(graph_links) > 20
    assert not [h for h in graph_links if "keski-uusimaa" in h.split("?")[0]]
    broken = [(h, r.status_code) for h in graph_links if (r := client.get(h)).status_code != 200]
    assert broken == []
    assert '"graph": "ku"' in page.text
