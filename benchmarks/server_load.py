"""A bounded load test of ``polku serve`` on loopback: readers of the findings and the pages
in two languages, with concurrent writes from several tokens, and a check that no
acknowledged write is lost (issue 16's server goal).

In one run, for ``--seconds`` (default 30): ``--readers`` threads (default 16) read the
findings JSON and the graph page, in Finnish and in English, as the public (no token),
while ``--writers`` threads (default 2, each with its own token) change rows at
``--rate`` writes a second each (default 1): each writer reads the ETag, PATCHes its own
service's capacity to a fresh value and, one write in three, a row every writer shares; a
412 (someone else wrote first) is counted and retried with a fresh ETag. The server is a
real ``polku serve`` subprocess over a copy of the example workbook; it keeps one model per
graph version (:mod:`polku.ops.model`), so readers share one run of the analyses per
version and a write makes the next version.

Printed: reads per second, p50/p99 latency of reads and of writes, 412s, the no-lost-update
check (every acknowledged write is in the change log with its version, token name, row and
value; the versions run 1…N with no gap; the workbook on disk holds each writer's last
acknowledged value), and each goal (reads >= 150/s, read p99 <= 300 ms, write p99 <= 500 ms,
no lost update) met or not.

Run: ``.venv/bin/python benchmarks/server_load.py [--seconds 30] [--readers 16]
[--writers 2] [--rate 1]``
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

READS = ["/api/graphs/keski-uusimaa/findings?lang=fi", "/graphs/keski-uusimaa?lang=fi",
         "/api/graphs/keski-uusimaa/findings?lang=en", "/graphs/keski-uusimaa?lang=en"]
#: the issue's goals
GOAL_READS_PER_S, GOAL_READ_P99_MS, GOAL_WRITE_P99_MS = 150, 300, 500
SERVICES = ["alkuhaastattelu", "tyollistymissuunnitelma", "tyonvalitys", "ohjaamo-ohjaus",
            "tuva", "uraohjaus", "ips"]
SHARED = ("referrals", "ref-alku-ohjaamo", "volume_per_month")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive connection."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: dict | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        data = json.dumps(body).encode() if body is not None else None
        hdrs = dict(headers or {})
        if data is not None:
            hdrs["Content-Type"] = "application/json"
        self.conn.request(method, path, body=data, headers=hdrs)
        r = self.conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--readers", type=int, default=16)
    ap.add_argument("--writers", type=int, default=2)
    ap.add_argument("--rate", type=float, default=1.0, help="writes a second per writer")
    args = ap.parse_args()
    if not 1 <= args.writers <= len(SERVICES):
        ap.error(f"--writers is 1…{len(SERVICES)}")

    tmp = Path(tempfile.mkdtemp(prefix="polku-load-"))
    try:
        return run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace, tmp: Path) -> int:
    served = tmp / "graphs"
    served.mkdir()
    shutil.copytree(ROOT / "graphs" / "keski-uusimaa", served / "keski-uusimaa")
    tokens = {f"writer{i}": f"load-test-token-{i:04d}-abcdefgh" for i in range(args.writers)}
    (tmp / "tokens").write_text("".join(f"{n}:{t}\n" for n, t in tokens.items()))
    port = free_port()
    # the server of this checkout (not whatever polku the environment installed)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src")] + [p for p in [os.environ.get("PYTHONPATH")] if p])}
    proc = subprocess.Popen([sys.executable, "-m", "polku.cli", "serve", str(served),
                             "--port", str(port), "--tokens", str(tmp / "tokens")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if Client(port).request("GET", "/api/graphs")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                print("the server did not start", file=sys.stderr)
                return 1
            time.sleep(0.2)
        return measure(args, port, served, tokens)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def measure(args: argparse.Namespace, port: int, served: Path, tokens: dict[str, str]) -> int:
    stop = time.monotonic() + args.seconds
    lock = threading.Lock()
    read_times: list[float] = []
    write_times: list[float] = []
    acknowledged: list[dict] = []
    conflicts = [0]
    failures: list[str] = []

    def reader(i: int) -> None:
        client = Client(port)
        n = i
        while time.monotonic() < stop:
            path = READS[n % len(READS)]
            n += 1
            t = time.perf_counter()
            status, _, _ = client.request("GET", path)
            elapsed = time.perf_counter() - t
            with lock:
                read_times.append(elapsed)
                if status != 200:
                    failures.append(f"GET {path}: {status}")

    def writer(i: int, name: str) -> None:
        client = Client(port)
        auth = {"Authorization": f"Bearer {tokens[name]}"}
        n = 0
        started = time.monotonic()
        while time.monotonic() < stop:
            # one write every 1/rate seconds, on a schedule (a slow write is not made up)
            pause = started + n / args.rate - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            if time.monotonic() >= stop:
                break
            n += 1
            if n % 3 == 0:
                sheet, key, column = SHARED
                value = 1000 + i * 100000 + n
            else:
                sheet, key, column = "services", SERVICES[i], "capacity_per_month"
                # unique per writer and write, within a capacity's range (polku.bounds)
                value = 10000 + i * 10000 + n
            while True:
                _, headers, _ = client.request("GET", f"/api/graphs/keski-uusimaa/rows/{sheet}/{key}")
                t = time.perf_counter()
                status, headers, body = client.request(
                    "PATCH", f"/api/graphs/keski-uusimaa/rows/{sheet}/{key}", {column: value},
                    {**auth, "If-Match": headers["etag"]})
                elapsed = time.perf_counter() - t
                with lock:
                    write_times.append(elapsed)
                if status == 412:
                    with lock:
                        conflicts[0] += 1
                    continue
                if status != 200:
                    with lock:
                        failures.append(f"PATCH {key}: {status} {body[:200]!r}")
                    break
                change = json.loads(body)["change"]
                with lock:
                    acknowledged.append({"version": change["version"], "who": name,
                                         "key": key, "value": str(value)})
                break

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(args.readers)]
    threads += [threading.Thread(target=writer, args=(i, n)) for i, n in enumerate(tokens)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started

    # no lost update: the change log and the workbook on disk against what was acknowledged
    client = Client(port)
    editor = {"Authorization": f"Bearer {next(iter(tokens.values()))}"}
    log = json.loads(client.request("GET", "/api/graphs/keski-uusimaa/changes?limit=10000",
                                    headers=editor)[2])
    logged = {c["version"]: c for c in log["changes"]}
    lost = []
    for ack in acknowledged:
        entry = logged.get(ack["version"])
        column = "volume_per_month" if ack["key"] == SHARED[1] else "capacity_per_month"
        if entry is None or entry["who"] != ack["who"] or entry["key"] != ack["key"] \
                or entry["after"].get(column) != ack["value"]:
            lost.append(ack)
    versions = sorted(logged)
    gapless = versions == list(range(1, len(versions) + 1)) and len(versions) == len(acknowledged)
    from polku.io.workbook import read_workbook

    g = read_workbook(served / "keski-uusimaa")
    last: dict[str, dict] = {}
    for ack in sorted(acknowledged, key=lambda a: a["version"]):
        last[ack["key"]] = ack
    on_disk = all(
        str(g.nodes[k].get("volume_per_month" if k == SHARED[1] else "capacity_per_month")) == a["value"]
        for k, a in last.items())

    reads, writes = len(read_times), len(write_times)
    print(f"polku serve under load on loopback: {args.readers} readers of the findings and "
          f"the graph page (fi, en), {args.writers} writers at {args.rate:g}/s "
          f"(one token each), {wall:.1f} s")
    print(f"reads : {reads} ({reads / wall:.1f}/s), p50 {percentile(read_times, 50) * 1000:.0f} ms, "
          f"p99 {percentile(read_times, 99) * 1000:.0f} ms")
    print(f"writes: {writes} attempts ({writes / wall:.1f}/s), {len(acknowledged)} acknowledged, "
          f"{conflicts[0]} answered 412 and retried; p50 {percentile(write_times, 50) * 1000:.0f} ms, "
          f"p99 {percentile(write_times, 99) * 1000:.0f} ms")
    print(f"all requests: {(reads + writes) / wall:.1f}/s")
    print(f"no lost update: {'yes' if not lost and gapless and on_disk else 'NO'} "
          f"(acknowledged writes missing from the log: {len(lost)}; versions 1…{len(versions)} "
          f"without gaps: {gapless}; last values on disk: {on_disk})")
    if failures:
        print(f"unexpected answers: {len(failures)}, e.g. {failures[:3]}")
    read_p99, write_p99 = percentile(read_times, 99) * 1000, percentile(write_times, 99) * 1000
    goals = [(f"reads >= {GOAL_READS_PER_S}/s", reads / wall >= GOAL_READS_PER_S),
             (f"read p99 <= {GOAL_READ_P99_MS} ms", read_p99 <= GOAL_READ_P99_MS),
             (f"write p99 <= {GOAL_WRITE_P99_MS} ms", write_p99 <= GOAL_WRITE_P99_MS),
             ("no lost update", not lost and gapless and on_disk)]
    print("goals: " + "; ".join(f"{name}: {'met' if ok else 'NOT met'}" for name, ok in goals))
    return 0 if not lost and gapless and on_disk and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
