"""Several server processes over one folder (issue 18): ``polku serve --workers 4`` with
writers racing on the same graph, and one worker SIGKILLed in the middle of the burst.
Every acknowledged write is on disk and in the change log, no two acknowledged writes
were made from the same version (no lost update), and the graph still reads."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpers import copy_mini
from processes import polku_serve, workers_of
from polku.io import workbook

TOKEN = "workers-token-0123456789"
WRITERS, WRITES_EACH = 6, 5


def call(url: str, method: str = "GET", body: dict | None = None,
         headers: dict | None = None) -> tuple[int, dict, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=120) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, json.loads(e.read() or b"{}")


@pytest.mark.slow  # four server processes, six writers, a killed worker
def test_four_workers_racing_writers_and_a_killed_worker_lose_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "graphs"
    copy_mini(folder / "mini")
    tokens = tmp_path / "tokens"
    tokens.write_text(f"racer:{TOKEN}\n")
    with polku_serve(str(folder), "--tokens", str(tokens), workers=4) as served:
        base = f"{served}/api/graphs/mini"
        acknowledged: list[dict] = []
        lock = threading.Lock()
        errors: list[str] = []

        def writer(w: int) -> None:
            for j in range(WRITES_EACH):
                row = {"id": f"w{w}-{j}", "name": f"Writer {w} row {j}"}
                for _ in range(200):
                    try:
                        status, headers, _ = call(f"{base}/rows/outcomes")
                        etag = headers["etag"]
                        status, headers, body = call(
                            f"{base}/rows/outcomes", "POST", row,
                            {"Authorization": f"Bearer {TOKEN}", "If-Match": etag})
                    except OSError:  # the killed worker's connection: not acknowledged
                        continue
                    if status == 201:
                        with lock:
                            acknowledged.append({"id": row["id"], "if_match": etag,
                                                 "version": body["change"]["version"]})
                        break
                    if status == 422 and body["error"].get("field") == "id" and \
                            call(f"{base}/rows/outcomes/{row['id']}")[0] == 200:
                        # the id is taken, by this very row: written by a request whose
                        # answer was lost with the killed worker (the error said so in the
                        # server's language, so it is known by its field, not its words)
                        break
                    if status != 412:
                        errors.append(f"{status} {body}")
                        return
                else:
                    errors.append(f"writer {w} never got row {j} in")

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
        for t in threads:
            t.start()
        while len(acknowledged) < 6 and any(t.is_alive() for t in threads):
            time.sleep(0.05)
        victim = workers_of(served.pid)[0]
        os.kill(victim, signal.SIGKILL)  # mid-burst: writes are under way in every worker
        for t in threads:
            t.join(timeout=600)
        assert not errors, errors
        assert len(acknowledged) >= 6
        on_disk = workbook.read_workbook(folder / "mini")
        missing = [a["id"] for a in acknowledged if a["id"] not in on_disk]
        assert not missing, f"acknowledged but lost: {missing}"
        bases = [a["if_match"] for a in acknowledged]
        assert len(set(bases)) == len(bases), "two writes were acknowledged on one version"
        log = [json.loads(line) for line in
               (folder / ".polku" / "mini.changes.jsonl").read_text().splitlines()]
        versions = [e["version"] for e in log]
        assert versions == list(range(1, len(log) + 1))
        logged = {e["key"] for e in log}
        assert {a["id"] for a in acknowledged} <= logged
        assert {a["version"] for a in acknowledged} <= set(versions)
        status, _, listed = call(f"{served}/api/graphs")
        assert status == 200 and listed[0]["state"] == "ok"


@pytest.mark.slow  # two server processes, a killed worker and its replacement
def test_every_worker_keeps_the_tokens_read_at_start(tmp_path: Path) -> None:
    """The administrator's report: two token lines, one removed from the file without a
    restart, a worker killed: its replacement read the file again, so the removed token
    wrote in one worker (428: it reached the ETag check) and not in the other (401). Every
    worker of one ``polku serve`` uses the tokens read when it started ("Remove a line and
    restart to take a token away"), and no worker is given the tokens themselves or the
    file's path: the tokens' hashes only."""
    folder = tmp_path / "graphs"
    copy_mini(folder / "mini")
    tokens = tmp_path / "tokens"
    other = "workers-other-0123456789"
    tokens.write_text(f"racer:{TOKEN}\nother:{other}\n")
    tokens.chmod(0o600)
    row = "/api/graphs/mini/rows/services/kuntouttava"
    with polku_serve(str(folder), "--tokens", str(tokens), workers=2) as served:
        tokens.write_text(f"racer:{TOKEN}\n")  # the line taken away, no restart
        before = set(workers_of(served.pid))
        os.kill(sorted(before)[0], signal.SIGKILL)
        deadline = time.monotonic() + 120
        while served.said().count("Application startup complete") < 3:
            assert time.monotonic() < deadline, served.said()
            time.sleep(0.2)
        workers = set(workers_of(served.pid))
        assert len(workers) == 2 and workers != before
        answers = [call(f"{served}{row}", "PATCH", {"capacity_per_month": "7"},
                        {"Authorization": f"Bearer {other}"})[0] for _ in range(8)]
        assert answers == [428] * 8, answers
        for pid in workers:
            environment = Path(f"/proc/{pid}/environ").read_bytes()
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            for secret in (TOKEN, other, str(tokens)):
                assert secret.encode() not in environment + command, secret
